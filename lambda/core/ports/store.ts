import type { Frequency } from '../config/schema.ts';
import type { MatchField } from '../model.ts';

// The persistence port. One DynamoDB-table implementation serves the embedded engine (dynalite),
// DynamoDB Local and AWS. Every method is a small number of single-item requests or one batch/query:
// no transactions (dynalite has none), conditional writes for every "at most once" rule, and
// `expiresAt` (epoch seconds, TTL attribute) filtered on read because TTL deletes lazily.

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
  /** Times (ISO) at which new entries were first seen, newest last, capped; for items/day and silence. */
  newItemTimes: string[];
}

/** A story (canonical item) seen by any feed. */
export interface StoryRecord {
  key: string;
  title: string;
  url?: string;
  publishedAt?: string;
  firstSeenAt: string;
  /** Names of the feeds that carried the story, first one first. */
  sources: string[];
  expiresAt: number;
}

/** Why a hit matched: what an analyst reads in the digest and what an operator can replay. */
export interface HitReason {
  topicId: string;
  /** Query terms that matched, as written in the query. */
  terms: string[];
  fields: MatchField[];
  feedUrl: string;
}

/** A snippet cut from the entry's text, with highlight ranges relative to `text`. */
export interface Snippet {
  text: string;
  marks: Array<[number, number]>;
}

export type HitStatus = 'pending' | 'sent';

/** One story for one subscriber: created once (conditional put), pending until a digest carries it. */
export interface Hit {
  subscriberId: string;
  storyKey: string;
  topicIds: string[];
  title: string;
  url?: string;
  source: string;
  publishedAt?: string;
  snippet: Snippet;
  /** Title highlight ranges (relative to `title`). */
  titleMarks: Array<[number, number]>;
  reasons: HitReason[];
  createdAt: string;
  status: HitStatus;
  digestId?: string;
  expiresAt: number;
}

export type SubscriberStatus = 'pending' | 'active' | 'unsubscribed' | 'suppressed';

export interface Subscriber {
  /** Stable id derived from the lower-cased address (see subscriberId()). */
  id: string;
  email: string;
  topics: string[];
  frequency: Frequency;
  timezone: string;
  status: SubscriberStatus;
  /**
   * `config`: listed in the config file, which owns the settings; a stored `config` record only
   * carries the recipient's status (written by unsubscribe or confirm). `api`: owned by the API.
   */
  source: 'config' | 'api' | 'operator';
  createdAt: string;
  updatedAt: string;
  /** Why the address is suppressed (bounce, complaint) when status is `suppressed`. */
  suppressedReason?: string;
}

/**
 * A bounced or complaining address, never mailed again. Its own item (not a subscriber status), so
 * the bounce handler never writes subscriber profiles: only the subscription API does.
 */
export interface Suppression {
  subscriberId: string;
  email: string;
  /** e.g. `bounce: Permanent/General (5.1.1)`, `complaint: abuse`. */
  reason: string;
  /** When it was recorded (ISO). */
  at: string;
}

/**
 * `claimed`: the stories are reserved for a digest whose send has not started; `sending`: the send
 * was started (handed to the mailer), its outcome not yet recorded; `sent`: confirmed.
 */
export type DigestState = 'claimed' | 'sending' | 'sent';

/**
 * The send-once ledger. The per-subscriber in-flight marker (claimed, then sending) says which
 * stories one digest carries and whether its send was attempted; the digest's own entry is written
 * `sent` once the mailer confirmed. At most 100 (mail.maxStoriesPerDigest) keys of at most 500
 * bytes each: an entry stays far below DynamoDB's 400 KB item limit.
 */
export interface DigestRecord {
  subscriberId: string;
  digestId: string;
  state: DigestState;
  storyKeys: string[];
  claimedAt: string;
  /** The in-flight marker only: the id of the digest it carries (a sha256 hex, see digestId()). */
  carries?: string;
  /** The in-flight marker only: the cycle that holds it (its lock owner). */
  owner?: string;
  /** When the send was handed to the mailer. */
  attemptedAt?: string;
  sentAt?: string;
  messageId?: string;
  /** Stories still pending after this digest (it was cut at mail.maxStoriesPerDigest). */
  waiting?: number;
  expiresAt: number;
}

/** Who holds a lock: enough for a process on the same machine to prove the holder dead. */
export interface LockHolder {
  host: string;
  pid: number;
  /** Identifies the process beyond its pid (start time), so a reused pid is not mistaken for it. */
  processStart?: string;
}

export type LockAttempt = { acquired: true; replaced?: LockLease } | { acquired: false };

export interface LockLease {
  name: string;
  owner: string;
  acquiredAt: string;
  /** Epoch seconds. */
  expiresAt: number;
  holder?: LockHolder;
}

export interface Store {
  // feeds
  getFeedStates(feedUrls: string[]): Promise<Map<string, FeedState>>;
  putFeedState(state: FeedState): Promise<void>;

  // stories: created once; later sightings add their source
  /** Creates the story if absent (returns created: true), else adds `source` to its sources. */
  recordStory(story: StoryRecord): Promise<{ created: boolean; record: StoryRecord }>;
  getStories(keys: string[]): Promise<Map<string, StoryRecord>>;

  // hits
  /** Conditional put: false when this subscriber already has a hit for this story. */
  putHit(hit: Hit): Promise<boolean>;
  /**
   * Pending hits, oldest first, at most `limit` (default: all). Each index entry is checked against
   * its record, so an index entry left behind by a crash (the embedded engine writes the index and
   * the record separately) is never taken for a pending hit.
   */
  pendingHits(subscriberId: string, limit?: number): Promise<Hit[]>;
  /** How many hits are pending (an upper bound: index entries are counted, not checked). */
  countPendingHits(subscriberId: string): Promise<number>;
  /** The subscriber's hits (pending or sent) for these stories. */
  getHits(subscriberId: string, storyKeys: string[]): Promise<Hit[]>;
  markHitsSent(subscriberId: string, storyKeys: string[], digestId: string): Promise<void>;

  // digest ledger
  /** Conditional put; false when the digest id was already claimed (by this or another cycle). */
  claimDigest(record: DigestRecord): Promise<boolean>;
  getDigest(subscriberId: string, digestId: string): Promise<DigestRecord | undefined>;
  /** `claimed` → `sending`, only while `owner` holds it; false otherwise (nothing changed). */
  markDigestAttempted(subscriberId: string, digestId: string, owner: string, at: string): Promise<boolean>;
  /** Moves an unfinished claim from a dead owner to `owner`; false when someone else moved it first. */
  takeOverDigest(subscriberId: string, digestId: string, fromOwner: string | undefined, owner: string): Promise<boolean>;
  /** Records a confirmed digest (state `sent`) and makes it the last sent one unless a newer one is. */
  recordSentDigest(record: DigestRecord): Promise<void>;
  /** Deletes an unfinished claim (never a sent entry), so the hits stay pending and a later cycle retries. */
  releaseDigest(subscriberId: string, digestId: string): Promise<void>;
  /** The most recent sent digest, for hourly/daily scheduling. */
  lastSentDigest(subscriberId: string): Promise<DigestRecord | undefined>;

  // subscribers
  listSubscribers(): Promise<Subscriber[]>;
  getSubscriber(id: string): Promise<Subscriber | undefined>;
  putSubscriber(subscriber: Subscriber): Promise<void>;
  deleteSubscriber(id: string): Promise<void>;

  // suppressions: written by the bounce/complaint handler only, never lifted by the API
  /** Records a suppression (a plain put: recording one twice is harmless). */
  suppress(suppression: Suppression): Promise<void>;
  getSuppression(subscriberId: string): Promise<Suppression | undefined>;
  /** Every suppression by subscriber id (one strongly consistent Query). */
  listSuppressions(): Promise<Map<string, Suppression>>;

  // subscription API: rate limits and single-use links
  /**
   * Adds one to the counter `key` of the window starting at `windowStart` (epoch seconds) and
   * returns the new count; the counter expires `ttlSeconds` after the window starts.
   */
  incrementCounter(key: string, windowStart: number, ttlSeconds: number): Promise<number>;
  /** Records a single-use nonce (conditional put); false when it was consumed before. Kept until `expiresAt` (epoch s). */
  consumeNonce(nonce: string, expiresAt: number): Promise<boolean>;

  // cycle lock: no two cycles at once
  /**
   * Takes (or renews, for the same owner) a lease; `acquired: false` when another owner holds an
   * unexpired one. `replaced` is the expired lease of another owner this one took the place of.
   */
  acquireLock(name: string, owner: string, now: Date, ttlSeconds: number, holder?: LockHolder): Promise<LockAttempt>;
  /** The current lease, expired or not; undefined when nobody took it. */
  getLock(name: string): Promise<LockLease | undefined>;
  /** Replaces the lease of `staleOwner` (proved dead by the caller); false when it changed meanwhile. */
  takeOverLock(name: string, staleOwner: string, owner: string, now: Date, ttlSeconds: number, holder?: LockHolder): Promise<boolean>;
  releaseLock(name: string, owner: string): Promise<void>;
}
