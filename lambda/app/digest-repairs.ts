import { digestId } from '../core/digest/digest-id.ts';
import type { Subscriber } from '../core/ports/store.ts';
import type { SendContext, SendResult } from './send-digests.ts';

// What the digest step does when it finds a claim it did not make (policy: see sendDigests).

/**
 * How long a `sending` claim may stay unfinished before the cycle concludes its sender died.
 * Longer than any cycle can run (the Lambda limit is 15 minutes, and the cycle lock lease matches).
 */
export const SENDING_GRACE_MS = 20 * 60_000;
/** Ledger id of the per-subscriber in-flight marker (real digest ids are sha256 hex). */
export const IN_FLIGHT_DIGEST = 'in-flight';

/**
 * Another sender holds the subscriber's in-flight marker. Young: it is at work; leave it (undefined).
 * Older than SENDING_GRACE_MS: it died between claiming and confirming; its stories are marked sent
 * without sending (at most once) and their keys returned, so the rest can go out now.
 */
export async function settleDeadSender(ctx: SendContext, subscriber: Subscriber, result: SendResult): Promise<Set<string> | undefined> {
  const marker = await ctx.store.getDigest(subscriber.id, IN_FLIGHT_DIGEST);
  if (!marker) return new Set(); // released since our claim failed: claim again
  const base = { to: subscriber.email, subscriberId: subscriber.id, digestId: IN_FLIGHT_DIGEST };
  if (ctx.now.getTime() - Date.parse(marker.claimedAt) < SENDING_GRACE_MS) {
    result.repairs.push({ ...base, action: 'left-in-flight', reason: 'another cycle is sending this subscriber a digest' });
    return undefined;
  }
  const unconfirmed = digestId(subscriber.id, 'unconfirmed', marker.storyKeys);
  await ctx.store.markHitsSent(subscriber.id, marker.storyKeys, unconfirmed);
  await ctx.store.releaseDigest(subscriber.id, IN_FLIGHT_DIGEST);
  result.repairs.push({
    ...base,
    action: 'marked-sent',
    reason: `${marker.storyKeys.length} stories claimed at ${marker.claimedAt} and never confirmed; treated as sent (at-most-once)`,
  });
  ctx.log.warn('unconfirmed digest treated as sent', { subscriber: subscriber.id, stories: marker.storyKeys.length });
  return new Set(marker.storyKeys);
}

export async function settleExistingClaim(ctx: SendContext, subscriber: Subscriber, id: string, result: SendResult): Promise<void> {
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
