const DAY_MS = 86_400_000;

/**
 * docs/behaviour.md, Dedupe: an item published more than `maxItemAgeDays` before `now` is recorded as seen and
 * never alerted. An item without a readable date counts as new, so it is never too old.
 */
export function isTooOld(publishedAt: string | undefined, now: Date, maxItemAgeDays: number): boolean {
  if (!publishedAt) return false;
  const published = Date.parse(publishedAt);
  if (Number.isNaN(published)) return false;
  return now.getTime() - published > maxItemAgeDays * DAY_MS;
}

/** Epoch seconds `days` after `now`: the TTL attribute of records kept for `retention.days`. */
export function expiresAfter(now: Date, days: number): number {
  return Math.floor((now.getTime() + days * DAY_MS) / 1000);
}
