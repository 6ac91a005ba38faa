// A feed's WebSub subscription (docs/feeds.md, "Push (WebSub)"), kept apart from the feed's polled
// state so a hub's callback never races a poll's versioned write of that state.

/**
 * - `pending`: a subscribe request was sent; the hub has not verified it yet.
 * - `active`: the hub verified it; pushes are expected until `leaseEndsAt`.
 * - `failed`: the hub refused, denied or never answered; retried after `retryAt`.
 * - `unsubscribing`: the feed was removed; an unsubscribe request waits for the hub's verification.
 */
type PushStatus = 'pending' | 'active' | 'failed' | 'unsubscribing';

export interface PushState {
  feedUrl: string;
  hub: string;
  /** The topic URL subscribed to: the feed's `rel="self"`, else the feed's own URL. */
  topic: string;
  /** The last path segment of the callback URL (random, 128 bits, hex): the callback finds the feed by it. */
  callbackId: string;
  /** HMAC key of the hub's signatures: 32 random bytes as 64 hex characters (the spec wants < 200 bytes). */
  secret: string;
  state: PushStatus;
  /** When the outstanding (or last) subscribe or unsubscribe request was sent (ISO). */
  requestedAt: string;
  /** Set while a renewal of an active subscription waits for the hub's verification (ISO). */
  renewalRequestedAt?: string;
  /** The lease asked for, and then the one the hub granted (seconds). */
  leaseSeconds: number;
  /** When the granted lease ends (ISO). */
  leaseEndsAt?: string;
  /** When the hub verified the subscription last (ISO). */
  verifiedAt?: string;
  /** When a signed content distribution last arrived (ISO). */
  lastPushAt?: string;
  /** Why it failed (the hub's status or denial reason), for `newshound feeds`. */
  reason?: string;
  /** Consecutive failed subscribe attempts, for the backoff. */
  failures?: number;
  /** A failed subscription is tried again at the first poll after this (ISO). */
  retryAt?: string;
  /** Bumped by every write: a state is written only over the version it was read at. */
  version?: number;
}
