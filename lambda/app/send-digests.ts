import { buildMime } from '../adapters/mail/build-mime.ts';
import type { Config } from '../core/config/schema.ts';
import { isDeliverable } from '../core/cycle/build-hits.ts';
import { expiresAfter } from '../core/cycle/item-age.ts';
import { digestId } from '../core/digest/digest-id.ts';
import { renderDigest } from '../core/digest/render-digest.ts';
import { digestDue } from '../core/digest/schedule.ts';
import type { Mailer } from '../core/ports/mailer.ts';
import type { Hit, Store, Subscriber } from '../core/ports/store.ts';
import { signToken } from '../core/tokens/signed-token.ts';
import type { CycleLog } from './cycle-log.ts';
import type { DigestRepair, SendFailure, SentEmail } from './cycle-report.ts';
import { mapLimit } from './map-limit.ts';

/**
 * How long a `sending` claim may stay unfinished before the cycle concludes its sender died.
 * Longer than any cycle can run (the Lambda limit is 15 minutes, and the cycle lock lease matches).
 */
export const SENDING_GRACE_MS = 20 * 60_000;
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
 * 1. The digest id is a hash of (subscriber, schedule slot, pending story keys), so a retried or
 *    overlapping cycle about to send the same stories computes the same id.
 * 2. claimDigest is a conditional put: only one cycle wins it; the winner renders, sends, then marks
 *    the ledger entry `sent` and the hits sent.
 * 3. A send the provider refused releases the claim and leaves the hits pending: the next cycle
 *    retries them (reported as a send failure).
 * 4. A claim found `sent` whose hits are still pending (a crash after completeDigest) is repaired by
 *    marking the hits sent, without sending.
 * 5. A claim found `sending` means a sender is at work or died between claiming and marking. Within
 *    SENDING_GRACE_MS it is left alone. After it, the policy is AT-MOST-ONCE: the hits are marked
 *    sent without sending again, and the repair is reported so an operator can look (the mailer's
 *    logs or the outbox show whether the message left). Rationale: a duplicate digest is a visible
 *    failure of the product's one promise; the lost-digest case needs a process to die inside a
 *    window of milliseconds, and it is reported, not silent.
 *    Limit: if new hits arrive for the subscriber before the next cycle, the pending set (and so the
 *    id) differs from the dead claim's; those earlier stories are then sent again with the new ones
 *    (at-least-once in that narrow case).
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
  const pending = await store.pendingHits(subscriber.id);
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

  const storyKeys = [...new Set(pending.map((h) => h.storyKey))].sort();
  const id = digestId(subscriber.id, due.slot, storyKeys);
  const claimed = await store.claimDigest({
    subscriberId: subscriber.id,
    digestId: id,
    state: 'sending',
    storyKeys,
    claimedAt: now.toISOString(),
    expiresAt: expiresAfter(now, ctx.config.retention.days),
  });
  if (!claimed) {
    await settleExistingClaim(ctx, subscriber, id, result);
    return;
  }

  let messageId: string;
  try {
    const raw = await composeDigest(ctx, subscriber, pending);
    ({ messageId } = await ctx.mailer.send({ from: ctx.config.mail.from, to: subscriber.email, raw }));
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    await store.releaseDigest(subscriber.id, id);
    result.sendFailures.push({ to: subscriber.email, subscriberId: subscriber.id, items: storyKeys.length, error });
    ctx.log.error('send failed', { subscriber: subscriber.id, error });
    return;
  }
  await store.completeDigest(subscriber.id, id, messageId, now.toISOString());
  await store.markHitsSent(subscriber.id, storyKeys, id);
  result.emails.push({ to: subscriber.email, subscriberId: subscriber.id, items: storyKeys.length, digestId: id, messageId });
}

async function settleExistingClaim(ctx: SendContext, subscriber: Subscriber, id: string, result: SendResult): Promise<void> {
  const existing = await ctx.store.getDigest(subscriber.id, id);
  if (!existing) return; // released between our claim and this read: the next cycle retries
  const base = { to: subscriber.email, subscriberId: subscriber.id, digestId: id };
  if (existing.state === 'sent') {
    await ctx.store.markHitsSent(subscriber.id, existing.storyKeys, id);
    result.repairs.push({ ...base, action: 'marked-sent', reason: 'digest already sent; hits were still pending' });
    return;
  }
  const age = ctx.now.getTime() - Date.parse(existing.claimedAt);
  if (age < SENDING_GRACE_MS) {
    result.repairs.push({ ...base, action: 'left-in-flight', reason: 'another cycle is sending this digest' });
    return;
  }
  await ctx.store.markHitsSent(subscriber.id, existing.storyKeys, id);
  result.repairs.push({
    ...base,
    action: 'marked-sent',
    reason: `claimed at ${existing.claimedAt} and never confirmed; treated as sent (at-most-once)`,
  });
  ctx.log.warn('unconfirmed digest treated as sent', { subscriber: subscriber.id, digestId: id });
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
