import type { FeedState } from '../domain/feed-state.ts';
import { formatMinutes } from './format-minutes.ts';
import { postingRhythm } from './posting-rhythm.ts';
import { pushCoverage, type PushSchedule } from './push-coverage.ts';

// When a feed is polled next: from its own rhythm, within the server's wishes and the configured
// bounds, backing off while it fails. The rules and the reasons for them: docs/scheduling.md.

export interface PollHints {
  /** Cache-Control max-age / s-maxage, or Expires − Date, in seconds (from the last response). */
  maxAgeSeconds?: number;
  /** Retry-After on 429 or 503, in seconds (a delay or an HTTP date converted against Date/now). */
  retryAfterSeconds?: number;
  /** RSS <ttl>, minutes. */
  ttlMinutes?: number;
  /** sy:updatePeriod / sy:updateFrequency (and sy:updateBase ignored) as minutes between updates. */
  updateEveryMinutes?: number;
}

export interface ScheduleSettings {
  pollMinutes: number;
  minMinutes: number;
  maxMinutes: number;
}

export interface NextPollInput {
  now: Date;
  schedule: ScheduleSettings;
  /** The feed's state after this poll: consecutiveFailures, newItemTimes (ISO, sorted, newest last). */
  state: FeedState;
  /** This poll failed (state.consecutiveFailures already counts it). */
  failed: boolean;
  hints: PollHints;
  /** The feed's WebSub subscription, if it has one: while it is trusted, polling is only the safety net. */
  push?: PushSchedule;
}

export interface NextPoll {
  /** ISO time the feed is next due. */
  nextDueAt: string;
  /** The interval chosen, in whole minutes. */
  intervalMinutes: number;
  /** Why, in a few words, for `newshound feeds` (e.g. `posts ~every 2 h`, `backing off after 4 failures`). */
  reason: string;
}

/** Backoff and Retry-After stop growing here, above maxMinutes if need be: a broken feed is still retried daily. */
const FAILURE_CAP_MINUTES = 24 * 60;

interface Choice {
  minutes: number;
  reason: string;
}

/** Deterministic: the same input always gives the same answer. */
export function nextPoll(input: NextPollInput): NextPoll {
  const { minutes, reason } = choose(input);
  return { nextDueAt: new Date(input.now.getTime() + minutes * 60_000).toISOString(), intervalMinutes: minutes, reason };
}

function choose(input: NextPollInput): Choice {
  const healthy = healthyInterval(input);
  // A failure only ever slows polling: a feed never comes back sooner because it broke.
  let chosen = healthy;
  if (input.failed) chosen = longer(chosen, backoff(input.schedule.pollMinutes, input.state.consecutiveFailures));
  const retryAfter = positive(input.hints.retryAfterSeconds);
  if (retryAfter !== undefined) {
    const minutes = Math.min(FAILURE_CAP_MINUTES, Math.ceil(retryAfter / 60));
    chosen = longer(chosen, { minutes, reason: `server asked to wait ${formatMinutes(minutes)} (Retry-After)` });
  }
  return chosen;
}

/** The interval of a working feed: its rhythm, raised to the server's wishes, within [min, max]. */
function healthyInterval({ now, schedule, state, hints, push }: NextPollInput): Choice {
  const coverage = pushCoverage(push, state.newItemTimes, now);
  if (coverage.covered) return pushed(coverage.leaseEndsAt, now, schedule);
  const declared = declaredByFeed(hints);
  let chosen = fromRhythm(state, now, schedule, declared);
  const maxAge = positive(hints.maxAgeSeconds);
  if (maxAge !== undefined) {
    const minutes = Math.ceil(maxAge / 60);
    chosen = longer(chosen, { minutes, reason: `server max-age ${formatMinutes(minutes)}` });
  }
  if (declared !== undefined) chosen = longer(chosen, declared);
  if (chosen.minutes < schedule.minMinutes) {
    return { minutes: schedule.minMinutes, reason: `${chosen.reason}; held at schedule.minMinutes` };
  }
  if (chosen.minutes > schedule.maxMinutes) {
    return { minutes: schedule.maxMinutes, reason: `${chosen.reason}; held at schedule.maxMinutes` };
  }
  return chosen;
}

function fromRhythm(state: FeedState, now: Date, schedule: ScheduleSettings, declared: Choice | undefined): Choice {
  const rhythm = postingRhythm(state.newItemTimes, now);
  switch (rhythm.kind) {
    case 'regular':
      // Half the usual gap: a story waits at most half a gap, so never longer than the gap itself.
      return {
        minutes: Math.max(1, Math.floor(rhythm.medianGapMinutes / 2)),
        reason: `posts ~every ${formatMinutes(rhythm.medianGapMinutes)}`,
      };
    case 'silent':
      return { minutes: schedule.maxMinutes, reason: `no new item for ${formatMinutes(rhythm.quietMinutes)}` };
    case 'rare':
      return { minutes: schedule.maxMinutes, reason: `posts rarely (${rhythm.recentItems} in 30 days)` };
    case 'unknown':
      return declared ?? { minutes: schedule.pollMinutes, reason: 'no history yet' };
  }
}

/**
 * A trusted push: polled at schedule.maxMinutes, the safety net for a hub that goes silent; but
 * before a short lease ends, so the poll that renews it comes in time.
 */
function pushed(leaseEndsAt: string, now: Date, schedule: ScheduleSettings): Choice {
  const leftMinutes = (Date.parse(leaseEndsAt) - now.getTime()) / 60_000;
  if (leftMinutes >= 2 * schedule.maxMinutes) return { minutes: schedule.maxMinutes, reason: 'push active' };
  const minutes = Math.min(schedule.maxMinutes, Math.max(schedule.minMinutes, Math.floor(leftMinutes / 2)));
  return { minutes, reason: `push active; lease ends in ${formatMinutes(leftMinutes)}` };
}

/** The larger of RSS <ttl> and sy:update*, both the feed's own word on how often it changes. */
function declaredByFeed(hints: PollHints): Choice | undefined {
  const ttl = positive(hints.ttlMinutes);
  const every = positive(hints.updateEveryMinutes);
  const byTtl = ttl === undefined ? undefined : { minutes: Math.ceil(ttl), reason: `RSS ttl ${Math.ceil(ttl)} min` };
  const bySy =
    every === undefined ? undefined : { minutes: Math.ceil(every), reason: `feed updates every ${formatMinutes(Math.ceil(every))}` };
  if (byTtl === undefined) return bySy;
  return bySy === undefined ? byTtl : longer(byTtl, bySy);
}

/** pollMinutes doubled per consecutive failure, up to a day. */
function backoff(pollMinutes: number, failures: number): Choice {
  const n = Math.max(1, failures);
  const minutes = Math.min(FAILURE_CAP_MINUTES, pollMinutes * 2 ** Math.min(n, 30));
  return { minutes, reason: `backing off after ${n} failure${n === 1 ? '' : 's'}` };
}

/** The longer choice; on a tie the first. */
function longer(a: Choice, b: Choice): Choice {
  return b.minutes > a.minutes ? b : a;
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}
