import type { HealthFlag } from '../core/cycle/feed-health.ts';

/** One feed's line in the run summary. */
export interface FeedReport {
  url: string;
  name: string;
  /** `200`, `304`, or the FeedErrorKind of the failure (`timeout`, `http-status`, ...). */
  status: string;
  /** The failure in one line, when the feed failed. */
  error?: string;
  /** Entries in the response (for a 304: in the last response). */
  items: number;
  /** Stories seen for the first time anywhere (age cut-off excluded). */
  new: number;
  /** New stories that matched at least one topic. */
  matched: number;
  /** Entries first seen but older than fetch.maxItemAgeDays: recorded, never alerted. */
  old: number;
  /** Hits recorded (one per subscriber per story). */
  hits: number;
  /** Entries dropped while parsing (unusable, malformed or oversized): the feed's others still count. */
  dropped?: number;
  /** How the response had to be repaired to be read (a document broken near its end, say). */
  repaired?: string;
  /** Entries beyond fetch.maxItemsPerFeed (the oldest), not considered this cycle. */
  capped?: number;
  /** Entries the store refused; retried next cycle. `entryError` is the first such error. */
  failedEntries?: number;
  entryError?: string;
  flags: HealthFlag[];
  /** Human explanations of the flags. */
  flagReasons: string[];
}

export interface SentEmail {
  to: string;
  subscriberId: string;
  items: number;
  digestId: string;
  messageId: string;
}

export interface SendFailure {
  to: string;
  subscriberId: string;
  items: number;
  error: string;
}

/** A digest found claimed but unfinished, and what the cycle did about it (see send-digests.ts). */
export interface DigestRepair {
  to: string;
  subscriberId: string;
  digestId: string;
  /**
   * `resumed`: a dead cycle's unsent (or, with the outbox, interrupted) digest was delivered;
   * `completed`: it was sent and only its bookkeeping was finished; `marked-sent`: an SES send of
   * unknown outcome was treated as sent (at most once).
   */
  action: 'resumed' | 'completed' | 'marked-sent';
  reason: string;
}

export interface CycleReport {
  startedAt: string;
  finishedAt: string;
  /** Real time the cycle took (even under a fixed `--now` clock). */
  durationMs: number;
  /** Set when the cycle did nothing, e.g. `another cycle is running (process 42 on host, …)`. */
  skipped?: string;
  /** Set when another sender (`newshound up`, say) held the sender's lease: it sends these hits. */
  sendingSkipped?: string;
  /** Set when this cycle took the lock of one that stopped without releasing it. */
  lockNote?: string;
  feeds: FeedReport[];
  emails: SentEmail[];
  sendFailures: SendFailure[];
  repairs: DigestRepair[];
  /** Subscribers with hits waiting for a later digest (hourly/daily not yet due). */
  held: number;
  totals: { feeds: number; failed: number; items: number; new: number; matched: number; hits: number };
}
