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
  /** Keys of the entries in the last 200 response: an entry seen there costs no store request. */
  recentKeys: string[];
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
  source: 'config' | 'api';
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

export type DigestState = 'sending' | 'sent';

/** The send-once ledger: claimed (conditional put) before sending, marked sent after. */
export interface DigestRecord {
  subscriberId: string;
  digestId: string;
  state: DigestState;
  storyKeys: string[];
  claimedAt: string;
  sentAt?: string;
  messageId?: string;
  expiresAt: number;
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
  pendingHits(subscriberId: string): Promise<Hit[]>;
  markHitsSent(subscriberId: string, storyKeys: string[], digestId: string): Promise<void>;

  // digest ledger
  /** Conditional put; false when the digest id was already claimed (by this or another cycle). */
  claimDigest(record: DigestRecord): Promise<boolean>;
  getDigest(subscriberId: string, digestId: string): Promise<DigestRecord | undefined>;
  completeDigest(subscriberId: string, digestId: string, messageId: string, sentAt: string): Promise<void>;
  /** Deletes a claim whose send failed, so the hits stay pending and the next cycle retries. */
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
  /** Takes a lease; false when another owner holds an unexpired one. */
  acquireLock(name: string, owner: string, now: Date, ttlSeconds: number): Promise<boolean>;
  releaseLock(name: string, owner: string): Promise<void>;
}
