/**
 * Counters that say "this set changed": the subscription API, the bounce handler and the operator
 * commands bump `live-config` when a subscriber or a feed changes, so a worker that caches them reads
 * one small item per batch instead of the lists.
 */
export interface VersionStore {
  /** The current count (0 when never bumped). */
  getVersion(name: string): Promise<number>;
  bumpVersion(name: string): Promise<number>;
}

/** Subscribers, suppressions and feeds added at run time: what the poll side caches. */
export const LIVE_CONFIG_VERSION = 'live-config';
