import { createHash } from 'node:crypto';
import type { FeedEntry } from '../model.ts';

/**
 * A short, fixed-size stand-in for an entry key in the feed's stored state: 96 bits of sha256, so a
 * feed's state stays a few KB whatever its keys look like, and two distinct keys of one feed's last
 * response collide with a probability around 10⁻²⁴.
 */
export function keyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 24);
}

/**
 * The entries of a 200 response worth a store request: those whose key was not in the feed's last
 * response (an unchanged item costs nothing), each key once even when the feed repeats an entry.
 */
export function selectNewEntries(entries: readonly FeedEntry[], recentKeyHashes: readonly string[]): FeedEntry[] {
  const seen = new Set(recentKeyHashes);
  const fresh: FeedEntry[] = [];
  for (const entry of entries) {
    const hash = keyHash(entry.key);
    if (seen.has(hash)) continue;
    seen.add(hash);
    fresh.push(entry);
  }
  return fresh;
}

/** This response's key hashes, in feed order, each once: the next cycle's `recentKeyHashes`. */
export function responseKeyHashes(entries: readonly FeedEntry[]): string[] {
  return [...new Set(entries.map((e) => keyHash(e.key)))];
}

/**
 * The entries a response is allowed to cost (fetch.maxItemsPerFeed), newest first: entries without
 * a readable date count as newest (an undated item is new when first seen); the rest by date.
 * Document order breaks ties, so a feed already in newest-first order keeps its order.
 */
export function newestEntries(entries: readonly FeedEntry[], max: number): FeedEntry[] {
  if (entries.length <= max) return [...entries];
  const time = (e: FeedEntry) => (e.publishedAt ? Date.parse(e.publishedAt) : Number.POSITIVE_INFINITY);
  return entries
    .map((entry, index) => ({ entry, index, at: time(entry) }))
    .sort((a, b) => (b.at === a.at ? a.index - b.index : b.at - a.at))
    .slice(0, max)
    .map((x) => x.entry);
}
