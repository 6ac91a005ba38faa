import type { FeedEntry } from '../model.ts';

/**
 * The entries of a 200 response worth a store request: those whose key was not in the feed's last
 * response (an unchanged item costs nothing), each key once even when the feed repeats an entry.
 */
export function selectNewEntries(entries: readonly FeedEntry[], recentKeys: readonly string[]): FeedEntry[] {
  const seen = new Set(recentKeys);
  const fresh: FeedEntry[] = [];
  for (const entry of entries) {
    if (seen.has(entry.key)) continue;
    seen.add(entry.key);
    fresh.push(entry);
  }
  return fresh;
}

/** This response's keys, in feed order, each once: the next cycle's `recentKeys`. */
export function responseKeys(entries: readonly FeedEntry[]): string[] {
  return [...new Set(entries.map((e) => e.key))];
}
