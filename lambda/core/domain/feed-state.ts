// What the store remembers of one feed between polls.

/** Per-feed state, read once per cycle (batch) and written only when something changed. */
export interface FeedState {
  feedUrl: string;
  /** The feed's own title from its last successful parse. */
  title?: string;
  etag?: string;
  lastModified?: string;
  /** `200`, `304`, or a FeedErrorKind of the last attempt. */
  lastStatus?: string;
  lastError?: string;
  lastAttemptAt?: string;
  lastSuccessAt?: string;
  consecutiveFailures: number;
  /** First failure of the current failing streak (ISO). */
  failingSince?: string;
  /**
   * Short hashes of the keys of the entries in the last 200 response (at most fetch.maxItemsPerFeed,
   * 24 hex characters each, so the item stays a few KB whatever the feed holds): an entry seen there
   * costs no store request.
   */
  recentKeyHashes: string[];
  /** When the feed is next due (ISO); absent: due now. The due index is built from it. */
  nextDueAt?: string;
  /** What the feed itself said about its rhythm on its last 200 (RSS ttl, sy:update*), for the 304s after it. */
  ttlMinutes?: number;
  updateEveryMinutes?: number;
  /** The interval that gave nextDueAt, and why it was chosen (docs/scheduling.md). */
  intervalMinutes?: number;
  intervalReason?: string;
  /**
   * Bumped by every write: a state is written only over the version it was read at, so two workers
   * that polled the same feed at once never undo each other's state.
   */
  version?: number;
  /** How the last 200 response had to be repaired to be read (e.g. the document ended early), if it did. */
  repaired?: string;
  /** Times (ISO) at which new entries were first seen, newest last, capped; for items/day and silence. */
  newItemTimes: string[];
}
