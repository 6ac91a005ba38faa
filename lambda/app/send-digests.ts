import { buildMime } from '../adapters/mail/build-mime.ts';
import type { Config } from '../core/config/schema.ts';
import { isDeliverable } from '../core/cycle/build-hits.ts';
import { expiresAfter } from '../core/cycle/item-age.ts';
import { digestId } from '../core/digest/digest-id.ts';
import { renderDigest } from '../core/digest/render-digest.ts';
import { digestDue } from '../core/digest/schedule.ts';
import type { Mailer } from '../core/ports/mailer.ts';
import type { DigestRecord, Hit, Store, Subscriber } from '../core/ports/store.ts';
import { signToken } from '../core/tokens/signed-token.ts';
import type { CycleLog } from './cycle-log.ts';
import type { DigestRepair, SendFailure, SentEmail } from './cycle-report.ts';
import { IN_FLIGHT_DIGEST, settleDeadSender, settleExistingClaim } from './digest-repairs.ts';
import { mapLimit } from './map-limit.ts';

export { IN_FLIGHT_DIGEST, SENDING_GRACE_MS } from './digest-repairs.ts';

/** Subscribers handled at once in the digest step. */
const SEND_CONCURRENCY = 4;

export interface SendContext {
  store: Store;
  mailer: Mailer;
  config: Config;
  now: Date;
  tokenKey: string;
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
 * Sends every digest that is due, each at most once (CONTRACT §5), through the digest ledger:
 *
 * 1. A per-subscriber in-flight marker (ledger id IN_FLIGHT_DIGEST, conditional put holding the story
 *    keys about to be sent) is taken first: one digest in flight per subscriber.
 * 2. The digest id is a hash of (subscriber, schedule slot, pending story keys); its claim is a
 *    conditional put too, so a retried or overlapping cycle about to send the same stories collides.
 * 3. The winner renders, sends, marks the ledger entry `sent` and the hits sent, then drops the marker.
 * 4. A send the provider refused releases both claims and leaves the hits pending: the next cycle
 *    retries them (reported as a send failure).
 * 5. A digest claim found `sent` whose hits are still pending (a crash after completeDigest) is
 *    repaired by marking the hits sent, without sending.
 * 6. A marker found from another sender: within SENDING_GRACE_MS it is at work, and this subscriber
 *    waits for the next cycle. After it, the sender died between claiming and confirming, and the
 *    policy is AT-MOST-ONCE: the marker's stories are marked sent without sending again (reported
 *    as a repair, logged as `unconfirmed digest treated as sent`), and any newer pending stories go
 *    out now without them. Rationale: a duplicate digest is a visible failure of the product's one
 *    promise; losing one needs a process to die inside the send, and it is reported, not silent.
 */
export async function sendDigests(ctx: SendContext): Promise<SendResult> {
  const result: SendResult = { emails: [], sendFailures: [], repairs: [], held: 0 };
  const deliverable = ctx.subscribers.filter(isDeliverable);
  await mapLimit(deliverable, SEND_CONCURRENCY, async (subscriber) => {
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
  const { store, now } = ctx;
  let pending = await store.pendingHits(subscriber.id);
  if (pending.length === 0) return;

  const last = subscriber.frequency === 'immediate' ? undefined : await store.lastSentDigest(subscriber.id);
  const due = digestDue({
    frequency: subscriber.frequency,
    timezone: subscriber.timezone,
    dailyAt: ctx.config.mail.dailyAt,
    now,
    ...(last?.sentAt ? { lastSentAt: new Date(last.sentAt) } : {}),
    hasPending: true,
  });
  if (!due.due) {
    result.held += 1;
    return;
  }

  // The subscriber's in-flight marker: at most one digest being sent per subscriber, and a record of
  // which stories a sender that died was carrying.
  if (!(await store.claimDigest(claimRecord(ctx, subscriber, IN_FLIGHT_DIGEST, storyKeysOf(pending))))) {
    const settled = await settleDeadSender(ctx, subscriber, result);
    if (!settled) return;
    pending = pending.filter((h) => !settled.has(h.storyKey));
    if (pending.length === 0) return;
    if (!(await store.claimDigest(claimRecord(ctx, subscriber, IN_FLIGHT_DIGEST, storyKeysOf(pending))))) return;
  }
  await sendClaimed(ctx, subscriber, pending, due.slot, result);
}

/** Sends the pending hits under the content-addressed ledger claim; releases the in-flight marker. */
async function sendClaimed(ctx: SendContext, subscriber: Subscriber, pending: Hit[], slot: string, result: SendResult): Promise<void> {
  const { store } = ctx;
  const storyKeys = storyKeysOf(pending);
  const id = digestId(subscriber.id, slot, storyKeys);
  if (!(await store.claimDigest(claimRecord(ctx, subscriber, id, storyKeys)))) {
    await settleExistingClaim(ctx, subscriber, id, result);
    await store.releaseDigest(subscriber.id, IN_FLIGHT_DIGEST);
    return;
  }

  let messageId: string;
  try {
    const raw = await composeDigest(ctx, subscriber, pending);
    ({ messageId } = await ctx.mailer.send({ from: ctx.config.mail.from, to: subscriber.email, raw }));
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    await store.releaseDigest(subscriber.id, id);
    await store.releaseDigest(subscriber.id, IN_FLIGHT_DIGEST);
    result.sendFailures.push({ to: subscriber.email, subscriberId: subscriber.id, items: storyKeys.length, error });
    ctx.log.error('send failed', { subscriber: subscriber.id, error });
    return;
  }
  await store.completeDigest(subscriber.id, id, messageId, ctx.now.toISOString());
  await store.markHitsSent(subscriber.id, storyKeys, id);
  // Released only after the hits are marked: a crash before this line leaves the marker, which
  // tells the next cycle exactly which stories may already have been mailed.
  await store.releaseDigest(subscriber.id, IN_FLIGHT_DIGEST);
  result.emails.push({ to: subscriber.email, subscriberId: subscriber.id, items: storyKeys.length, digestId: id, messageId });
}

function storyKeysOf(hits: readonly Hit[]): string[] {
  return [...new Set(hits.map((h) => h.storyKey))].sort();
}

function claimRecord(ctx: SendContext, subscriber: Subscriber, id: string, storyKeys: string[]): DigestRecord {
  return {
    subscriberId: subscriber.id,
    digestId: id,
    state: 'sending',
    storyKeys,
    claimedAt: ctx.now.toISOString(),
    expiresAt: expiresAfter(ctx.now, ctx.config.retention.days),
  };
}

async function composeDigest(ctx: SendContext, subscriber: Subscriber, hits: Hit[]): Promise<Buffer> {
  const stories = await ctx.store.getStories([...new Set(hits.map((h) => h.storyKey))]);
  const alsoCarriedBy: Record<string, string[]> = {};
  for (const [key, story] of stories) alsoCarriedBy[key] = story.sources;
  const topics = ctx.config.topics.filter(
    (t) => subscriber.topics.includes(t.id) || hits.some((h) => h.topicIds.includes(t.id)),
  );
  const base = (ctx.publicUrl ?? ctx.config.mail.publicUrl)?.replace(/\/+$/, '');
  const link = (path: string, purpose: 'unsubscribe' | 'manage') =>
    `${base}/${path}?token=${signToken({ sub: subscriber.id, purpose }, ctx.tokenKey)}`;
  const rendered = renderDigest({
    to: subscriber.email,
    timezone: subscriber.timezone,
    hits,
    topics: topics.map((t) => ({ id: t.id, name: t.name })),
    now: ctx.now,
    ...(base ? { unsubscribeUrl: link('unsubscribe', 'unsubscribe'), manageUrl: link('manage', 'manage') } : {}),
    alsoCarriedBy,
  });
  return buildMime(rendered, { from: ctx.config.mail.from, to: subscriber.email, date: ctx.now });
}
