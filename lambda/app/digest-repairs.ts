import type { Subscriber } from '../core/domain/subscriber.ts';
import { carriedId, deliver, type SendContext, type SendResult } from './send-digests.ts';

// What the digest step does with an in-flight marker it did not write (policy: see sendDigests).

/** Ledger id of the per-subscriber in-flight marker (real digest ids are sha256 hex). */
export const IN_FLIGHT_DIGEST = 'in-flight';

/**
 * Finishes the digest a dead cycle left in flight for this subscriber. The caller holds the cycle
 * lock, so the marker's owner is not running any more: it is taken over (conditional on its owner,
 * so two cycles can never both finish it), then, by what the dead cycle got to:
 *
 * - its ledger entry says `sent`: the mail went out and was recorded; only the hits and the marker
 *   were left. They are finished; nothing is sent.
 * - `claimed`: the send never started. The digest is sent now under the same delivery id.
 * - `sending` with an idempotent mailer (the outbox): repeated under the same delivery id; the mailer
 *   delivers it only if it did not already.
 * - `sending` with SES: the dead cycle may or may not have handed it over, and SES cannot tell. Its
 *   stories are treated as sent (at most once): a duplicate is the failure users notice, and this
 *   window is one API call wide. Reported as a repair and logged.
 *
 * `busy` when another cycle took the marker first.
 */
export async function resumeUnfinished(ctx: SendContext, subscriber: Subscriber, result: SendResult): Promise<'busy' | 'settled'> {
  const { store } = ctx;
  const marker = await store.getDigest(subscriber.id, IN_FLIGHT_DIGEST);
  if (!marker) return 'settled'; // released since our claim failed: claim again
  if (!(await store.takeOverDigest(subscriber.id, IN_FLIGHT_DIGEST, marker.owner, ctx.owner))) return 'busy';
  const mine = { ...marker, owner: ctx.owner };
  const id = carriedId(marker);
  const base = { to: subscriber.email, subscriberId: subscriber.id, digestId: id };
  const since = marker.attemptedAt ?? marker.claimedAt;

  const ledger = await store.getDigest(subscriber.id, id);
  if (ledger?.state === 'sent') {
    await store.markHitsSent(subscriber.id, marker.storyKeys, id);
    await store.releaseDigest(subscriber.id, IN_FLIGHT_DIGEST);
    result.repairs.push({ ...base, action: 'completed', reason: `sent at ${ledger.sentAt ?? since}; its hits were still marked pending` });
    return 'settled';
  }
  if (marker.state === 'sending' && !ctx.mailer.idempotent) {
    await store.markHitsSent(subscriber.id, marker.storyKeys, id);
    await store.releaseDigest(subscriber.id, IN_FLIGHT_DIGEST);
    result.repairs.push({
      ...base,
      action: 'marked-sent',
      reason: `${marker.storyKeys.length} stories handed to the mailer at ${since} by a cycle that stopped before it recorded the result; treated as sent (at most once)`,
    });
    ctx.log.warn('unconfirmed digest treated as sent', { subscriber: subscriber.id, stories: marker.storyKeys.length });
    return 'settled';
  }

  const hits = (await store.getHits(subscriber.id, marker.storyKeys)).filter((h) => h.status === 'pending');
  if (hits.length === 0) {
    await store.releaseDigest(subscriber.id, IN_FLIGHT_DIGEST);
    return 'settled';
  }
  const sent = await deliver(ctx, subscriber, { ...mine, storyKeys: hits.map((h) => h.storyKey).sort() }, hits, result);
  if (sent) {
    const what = marker.state === 'claimed' ? 'claimed at' : 'interrupted inside the send at';
    result.repairs.push({ ...base, action: 'resumed', reason: `${what} ${since} by a cycle that stopped; delivered once now` });
  }
  return 'settled';
}
