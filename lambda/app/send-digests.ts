import type { Config, Frequency } from '../core/config/schema.ts';
import { isDeliverable } from '../core/cycle/build-hits.ts';
import { expiresAfter } from '../core/cycle/item-age.ts';
import { digestId } from '../core/digest/digest-id.ts';
import { hitClass, subscriberClasses, WITHDRAWN } from '../core/digest/frequency-classes.ts';
import { renderDigest, type RenderedDigest } from '../core/digest/render-digest.ts';
import { digestDue } from '../core/digest/schedule.ts';
import type { Mailer } from '../core/ports/mailer.ts';
import { alertTopicId } from '../core/domain/alert.ts';
import type { DigestRecord } from '../core/domain/digest-record.ts';
import type { Hit } from '../core/domain/hit.ts';
import type { Subscriber } from '../core/domain/subscriber.ts';
import type { FeedStore } from '../core/ports/feed-store.ts';
import type { HitLedger } from '../core/ports/hit-ledger.ts';
import { signToken } from '../core/tokens/signed-token.ts';
import type { CycleLog } from './cycle-log.ts';
import type { DigestRepair, SendFailure, SentEmail } from './cycle-report.ts';
import { IN_FLIGHT_DIGEST, resumeUnfinished } from './digest-repairs.ts';
import { mapLimit } from './map-limit.ts';

export { IN_FLIGHT_DIGEST } from './digest-repairs.ts';

/** Subscribers handled at once in the digest step. */
const SEND_CONCURRENCY = 4;

export interface SendContext {
  store: HitLedger & Pick<FeedStore, 'getStories'>;
  mailer: Mailer;
  config: Config;
  now: Date;
  tokenKey: string;
  /** The sending cycle's lock owner: the in-flight markers it writes carry it. */
  owner: string;
  /** True once the cycle lost its lock (lease taken by another cycle): stop claiming digests. */
  lockLost?: () => boolean;
  /** Base of unsubscribe/manage links; default config.mail.publicUrl. */
  publicUrl?: string;
  subscribers: readonly Subscriber[];
  log: CycleLog;
}

export interface SendResult {
  emails: SentEmail[];
  sendFailures: SendFailure[];
  repairs: DigestRepair[];
  /** Subscribers whose pending hits wait for a later slot. */
  held: number;
}

/**
 * Sends every digest that is due, each at most once, through the per-subscriber in-flight marker
 * (docs/cycle.md, "Send once"). Runs under the cycle lock, so a marker left by another owner belongs
 * to a cycle that is over:
 *
 * 1. The marker is claimed (conditional put) holding the stories of the digest (the oldest pending,
 *    at most mail.maxStoriesPerDigest) in state `claimed`: nothing handed to the mailer yet.
 * 2. It moves to `sending` just before the mailer is called, so a later cycle can tell a send that
 *    never started (retried, nothing lost) from one that may have happened.
 * 3. After the mailer confirmed: the digest's ledger entry is written `sent`, its hits are marked
 *    sent, and the marker is deleted. A send the provider refused deletes the marker and keeps the
 *    hits pending; the next cycle retries them.
 * 4. A marker found from a dead cycle is taken over and finished (resumeUnfinished): `claimed` is
 *    sent now under the same delivery id; `sending` is repeated when the mailer is idempotent (the
 *    outbox), and otherwise (SES) its stories are treated as sent: at most once, reported.
 */
export async function sendDigests(ctx: SendContext): Promise<SendResult> {
  const result: SendResult = { emails: [], sendFailures: [], repairs: [], held: 0 };
  const deliverable = ctx.subscribers.filter(isDeliverable);
  await mapLimit(deliverable, SEND_CONCURRENCY, async (subscriber) => {
    if (ctx.lockLost?.()) return;
    try {
      await sendOne(ctx, subscriber, result);
    } catch (err) {
      // A store error for one subscriber must not cost the others their digest.
      const error = err instanceof Error ? err.message : String(err);
      result.sendFailures.push({ to: subscriber.email, subscriberId: subscriber.id, items: 0, error });
      ctx.log.error('digest step failed', { subscriber: subscriber.id, error });
    }
  });
  return result;
}

async function sendOne(ctx: SendContext, subscriber: Subscriber, result: SendResult): Promise<void> {
  const { store } = ctx;
  // The schedule first: an hourly or daily class between digests costs a GetItem and, when nothing
  // is due at all, a one-item look at the pending hits each run, not a read of a digest's worth.
  const due = await dueClasses(ctx, subscriber);
  if (due.classes.length === 0) {
    if ((await store.pendingHits(subscriber.id, 1)).length > 0) result.held += 1;
    return;
  }
  let page = await duePending(ctx, subscriber, due);
  if (page.hits.length === 0) {
    // With every class due, that read saw every pending story: no second look needed.
    if (due.waitingClasses && (await store.pendingHits(subscriber.id, 1)).length > 0) result.held += 1;
    return;
  }

  let marker = await newMarker(ctx, subscriber, page, due);
  if (!(await store.claimDigest(marker))) {
    if ((await resumeUnfinished(ctx, subscriber, result)) === 'busy') return;
    page = await duePending(ctx, subscriber, due);
    if (page.hits.length === 0) return;
    marker = await newMarker(ctx, subscriber, page, due);
    if (!(await store.claimDigest(marker))) return;
  }
  await deliver(ctx, subscriber, marker, page.hits, result);
}

interface DueClasses {
  /** The frequency classes whose stories go out now. */
  classes: Frequency[];
  /** The schedule periods they are due in, joined: part of the digest id. */
  slot: string;
  /** True when some class of the subscriber is not due now. */
  waitingClasses: boolean;
}

/**
 * Which of the subscriber's classes (docs/cycle.md, "Frequencies") are due: immediate always; hourly
 * and daily by the last digest that carried that class; and any class whose last digest was cut at
 * mail.maxStoriesPerDigest, which is followed by the next one at once, not a slot later.
 */
async function dueClasses(ctx: SendContext, subscriber: Subscriber): Promise<DueClasses> {
  const classes: Frequency[] = [];
  const slots: string[] = [];
  const all = subscriberClasses(subscriber);
  for (const frequency of all) {
    if (frequency === 'immediate') {
      classes.push(frequency);
      slots.push('immediate');
      continue;
    }
    const last = await ctx.store.lastSentDigest(subscriber.id, frequency);
    const due = digestDue({
      frequency,
      timezone: subscriber.timezone,
      dailyAt: ctx.config.mail.dailyAt,
      now: ctx.now,
      ...(last?.sentAt ? { lastSentAt: new Date(last.sentAt) } : {}),
      hasPending: true,
    });
    if (due.due) {
      classes.push(frequency);
      slots.push(due.slot);
    } else if ((last?.waiting ?? 0) > 0) {
      classes.push(frequency);
      slots.push(`catch-up:${last?.digestId ?? ''}`);
    }
  }
  return { classes, slot: slots.join('+'), waitingClasses: classes.length < all.length };
}

/** The oldest pending hits of the due classes, at most mail.maxStoriesPerDigest, and whether more may wait. */
interface DuePage {
  hits: Hit[];
  more: boolean;
}

/**
 * Reads the pending hits of the due classes. A story that matched only alerts the subscriber has
 * deleted since is marked sent under the digest id `withdrawn` instead (so it leaves the pending
 * index and is never mailed), and the page is read again.
 */
async function duePending(ctx: SendContext, subscriber: Subscriber, due: DueClasses): Promise<DuePage> {
  const max = ctx.config.mail.maxStoriesPerDigest;
  const accept = (hit: Hit) => {
    const c = hitClass(hit, subscriber);
    return c === WITHDRAWN || due.classes.includes(c);
  };
  // With every class due, a full page is enough to say more may wait (as before alerts); with a
  // class held back, only a story beyond the page tells, since the count includes the held ones.
  const limit = due.waitingClasses ? max + 1 : max;
  for (;;) {
    const page = await ctx.store.pendingHits(subscriber.id, limit, accept);
    const withdrawn = page.filter((hit) => hitClass(hit, subscriber) === WITHDRAWN);
    if (withdrawn.length === 0) return { hits: page.slice(0, max), more: page.length >= limit };
    await ctx.store.markHitsSent(subscriber.id, storyKeysOf(withdrawn), WITHDRAWN);
    ctx.log.info('stories of deleted alerts withdrawn', { subscriber: subscriber.id, stories: withdrawn.length });
  }
}

/**
 * Sends the digest the marker holds (which this cycle owns) and records it. Also the second half of
 * resuming a dead cycle's marker, with the same delivery id.
 */
export async function deliver(ctx: SendContext, subscriber: Subscriber, marker: DigestRecord, hits: Hit[], result: SendResult): Promise<boolean> {
  const { store } = ctx;
  let content: RenderedDigest;
  try {
    content = await composeDigest(ctx, subscriber, hits, marker.waiting ?? 0);
  } catch (err) {
    await store.releaseDigest(subscriber.id, IN_FLIGHT_DIGEST);
    throw err;
  }
  if (marker.state === 'claimed' && !(await store.markDigestAttempted(subscriber.id, IN_FLIGHT_DIGEST, ctx.owner, ctx.now.toISOString()))) {
    return false; // taken over meanwhile (this cycle lost its lock): the new owner finishes it
  }

  let messageId: string;
  try {
    ({ messageId } = await ctx.mailer.send({ from: ctx.config.mail.from, to: subscriber.email, date: ctx.now, content, deliveryId: deliveryIdOf(marker) }));
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    await store.releaseDigest(subscriber.id, IN_FLIGHT_DIGEST);
    result.sendFailures.push({ to: subscriber.email, subscriberId: subscriber.id, items: marker.storyKeys.length, error });
    ctx.log.error('send failed', { subscriber: subscriber.id, error });
    return false;
  }
  const id = carriedId(marker);
  const { owner: _owner, attemptedAt: _attempted, carries: _carries, ...record } = marker;
  await store.recordSentDigest({ ...record, digestId: id, state: 'sent', sentAt: ctx.now.toISOString(), messageId });
  await store.markHitsSent(subscriber.id, marker.storyKeys, id);
  // Deleted only after the hits are marked: a crash before this line leaves the marker, and the
  // next cycle finds the digest's ledger entry `sent` and finishes marking.
  await store.releaseDigest(subscriber.id, IN_FLIGHT_DIGEST);
  result.emails.push({ to: subscriber.email, subscriberId: subscriber.id, items: marker.storyKeys.length, digestId: id, messageId });
  return true;
}

/** The digest id an in-flight marker carries. */
export function carriedId(marker: DigestRecord): string {
  return marker.carries ?? digestId(marker.subscriberId, 'legacy', marker.storyKeys);
}

/**
 * The name of one delivery across retries: the claim time (the cycle clock, so outbox names follow
 * `--now` like the Date header) and the digest id.
 */
export function deliveryIdOf(marker: DigestRecord): string {
  const stamp = marker.claimedAt.replace(/[-:]/g, '').replace('.', '');
  return `${stamp}-${carriedId(marker).slice(0, 16)}`;
}

async function newMarker(ctx: SendContext, subscriber: Subscriber, page: DuePage, due: DueClasses): Promise<DigestRecord> {
  const storyKeys = storyKeysOf(page.hits);
  // Only a full page can have more behind it; the count is one extra Query, paid only then. It
  // counts every pending hit (other classes too): an upper bound, as the email's wording allows.
  const waiting = page.more ? Math.max(0, (await ctx.store.countPendingHits(subscriber.id)) - storyKeys.length) : 0;
  return {
    subscriberId: subscriber.id,
    digestId: IN_FLIGHT_DIGEST,
    carries: digestId(subscriber.id, due.slot, storyKeys),
    state: 'claimed',
    storyKeys,
    claimedAt: ctx.now.toISOString(),
    owner: ctx.owner,
    ...(waiting > 0 ? { waiting } : {}),
    frequencies: due.classes,
    expiresAt: expiresAfter(ctx.now, ctx.config.retention.days),
  };
}

function storyKeysOf(hits: readonly Hit[]): string[] {
  return [...new Set(hits.map((h) => h.storyKey))].sort();
}

async function composeDigest(ctx: SendContext, subscriber: Subscriber, hits: Hit[], waiting: number): Promise<RenderedDigest> {
  const stories = await ctx.store.getStories([...new Set(hits.map((h) => h.storyKey))]);
  const alsoCarriedBy: Record<string, string[]> = {};
  for (const [key, story] of stories) alsoCarriedBy[key] = story.sources;
  const topics = ctx.config.topics.filter(
    (t) => subscriber.topics.includes(t.id) || hits.some((h) => h.topicIds.includes(t.id)),
  );
  // The subscriber's own alerts, paused ones too (their stories from before the pause still come).
  const alerts = (subscriber.alerts ?? []).map((a) => ({ id: alertTopicId(a.id), name: a.name }));
  const base = (ctx.publicUrl ?? ctx.config.mail.publicUrl)?.replace(/\/+$/, '');
  const link = (path: string, purpose: 'unsubscribe' | 'manage') =>
    `${base}/${path}?token=${signToken({ sub: subscriber.id, purpose }, ctx.tokenKey)}`;
  return renderDigest({
    to: subscriber.email,
    timezone: subscriber.timezone,
    hits,
    topics: [...topics.map((t) => ({ id: t.id, name: t.name })), ...alerts],
    now: ctx.now,
    ...(base ? { unsubscribeUrl: link('unsubscribe', 'unsubscribe'), manageUrl: link('manage', 'manage') } : {}),
    alsoCarriedBy,
    waiting,
  });
}
