/**
 * Counters that say "this set changed": the subscription API bumps `audience` when a subscriber
 * changes, so a worker that caches subscribers reads one small item per batch instead of the list.
 */
export interface VersionStore {
  /** The current count (0 when never bumped). */
  getVersion(name: string): Promise<number>;
  bumpVersion(name: string): Promise<number>;
}

/** Subscribers, their topics and suppressions: what the poll side caches. */
export const AUDIENCE_VERSION = 'audience';
