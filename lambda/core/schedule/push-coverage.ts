import type { PushState } from '../domain/push-state.ts';
import { postingRhythm } from './posting-rhythm.ts';

// Whether a feed's WebSub subscription can be trusted to bring its stories, so that polling can
// drop to the safety net (docs/scheduling.md, "Push"; docs/feeds.md, "Push (WebSub)").

/** What the schedule needs of a push subscription. */
export type PushSchedule = Pick<PushState, 'state' | 'leaseEndsAt' | 'verifiedAt' | 'lastPushAt'>;

export type PushCoverage =
  | { covered: true; leaseEndsAt: string }
  | { covered: false; why: 'not active' | 'lease ended' | 'quiet'; quietMinutes?: number };

/** A push that has been silent for longer than this many of the feed's usual gaps is not trusted. */
const QUIET_FACTOR = 2;

/**
 * Covered: the hub verified the subscription, its lease has not ended, and it has not gone quiet
 * for longer than twice the feed's usual gap between items (a feed without a regular rhythm is
 * judged by its lease alone).
 */
export function pushCoverage(push: PushSchedule | undefined, newItemTimes: readonly string[], now: Date): PushCoverage {
  if (!push || push.state !== 'active' || !push.leaseEndsAt) return { covered: false, why: 'not active' };
  if (Date.parse(push.leaseEndsAt) <= now.getTime()) return { covered: false, why: 'lease ended' };
  const rhythm = postingRhythm(newItemTimes, now);
  const heard = Math.max(Date.parse(push.lastPushAt ?? '') || 0, Date.parse(push.verifiedAt ?? '') || 0);
  if (rhythm.kind === 'regular' && heard > 0) {
    const quietMinutes = (now.getTime() - heard) / 60_000;
    if (quietMinutes > QUIET_FACTOR * rhythm.medianGapMinutes) return { covered: false, why: 'quiet', quietMinutes };
  }
  return { covered: true, leaseEndsAt: push.leaseEndsAt };
}
