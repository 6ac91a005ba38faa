import { emptyFeedState } from '../../../lambda/core/cycle/next-feed-state.ts';
import type { FeedState } from '../../../lambda/core/domain/feed-state.ts';
import { nextPoll, type PollHints, type ScheduleSettings } from '../../../lambda/core/schedule/next-poll.ts';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
/** How many items the feed document shows at a time, and how many item times the state keeps. */
const ITEMS_SHOWN = 20;
const TIMES_KEPT = 100;

export interface SimulatedFeed {
  /** Gaps between posts in minutes, repeated in order. */
  gapsMinutes: number[];
  hints?: PollHints;
  /** Polls that fail, counted from the first (1-based); the feed answers normally otherwise. */
  failingPolls?: ReadonlySet<number>;
  /** Minutes the posting times are shifted from the poller's start, so posts and polls need not line up. */
  phaseMinutes?: number;
}

export interface SimulationResult {
  polls: number;
  pollsPerDay: number;
  /** Longest wait between a story's publication and the poll that found it. */
  maxDelayMinutes: number;
  /** The interval and reason of every poll, in order. */
  intervals: { minutes: number; reason: string }[];
}

/**
 * Polls one feed with nextPoll for `days` simulated days. The feed has been posting for 60 days
 * before the first poll, and its document shows its newest 20 items, as real feeds do.
 */
export function simulatePolling(feed: SimulatedFeed, schedule: ScheduleSettings, days: number): SimulationResult {
  const start = Date.parse('2026-03-01T00:00:00Z');
  const end = start + days * DAY;
  const posted: number[] = [];
  for (let t = start - 60 * DAY + (feed.phaseMinutes ?? 0) * MINUTE, i = 0; t <= end; t += feed.gapsMinutes[i++ % feed.gapsMinutes.length]! * MINUTE) posted.push(t);

  let state: FeedState = emptyFeedState('https://feed.example/rss');
  let seenUpTo = Number.NEGATIVE_INFINITY;
  let maxDelay = 0;
  const intervals: SimulationResult['intervals'] = [];
  let published = 0; // posts at or before now: posted[0 .. published)
  for (let now = start; now < end; ) {
    while (published < posted.length && posted[published]! <= now) published += 1;
    const failed = feed.failingPolls?.has(intervals.length + 1) ?? false;
    if (failed) {
      state = { ...state, consecutiveFailures: state.consecutiveFailures + 1 };
    } else {
      const shown = posted.slice(Math.max(0, published - ITEMS_SHOWN), published);
      const fresh = shown.filter((t) => t > seenUpTo);
      for (const t of fresh) if (t >= start) maxDelay = Math.max(maxDelay, now - t);
      seenUpTo = shown[shown.length - 1] ?? seenUpTo;
      const times = [...state.newItemTimes, ...fresh.map((t) => new Date(t).toISOString())].sort().slice(-TIMES_KEPT);
      state = { ...state, consecutiveFailures: 0, newItemTimes: times };
    }
    const next = nextPoll({ now: new Date(now), schedule, state, failed, hints: feed.hints ?? {} });
    intervals.push({ minutes: next.intervalMinutes, reason: next.reason });
    now = Date.parse(next.nextDueAt);
  }
  return { polls: intervals.length, pollsPerDay: intervals.length / days, maxDelayMinutes: maxDelay / MINUTE, intervals };
}
