import { describe, expect, it } from 'vitest';
import { emptyFeedState } from '../../../lambda/core/cycle/next-feed-state.ts';
import type { FeedState } from '../../../lambda/core/domain/feed-state.ts';
import { nextPoll } from '../../../lambda/core/schedule/next-poll.ts';
import type { PushSchedule } from '../../../lambda/core/schedule/push-coverage.ts';

// Polling as the safety net of push (docs/scheduling.md, "Push").

const NOW = new Date('2026-03-10T12:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const schedule = { pollMinutes: 10, minMinutes: 5, maxMinutes: 360 };

const at = (msFromNow: number) => new Date(NOW.getTime() + msFromNow).toISOString();
/** An hourly poster: 24 items an hour apart, the newest just now. */
const hourly = Array.from({ length: 24 }, (_, i) => at(-(23 - i) * HOUR));

function poll(push: PushSchedule | undefined, patch: Partial<FeedState> = {}, failed = false) {
  const state = { ...emptyFeedState('https://feed.example/rss'), newItemTimes: hourly, ...patch };
  return nextPoll({ now: NOW, schedule, state, failed, hints: {}, ...(push ? { push } : {}) });
}

const active = (patch: Partial<PushSchedule> = {}): PushSchedule => ({ state: 'active', verifiedAt: at(-10 * MINUTE), leaseEndsAt: at(10 * DAY), lastPushAt: at(-30 * MINUTE), ...patch });

describe('nextPoll with a push subscription', () => {
  it('polls an hourly poster with an active push at schedule.maxMinutes', () => {
    expect(poll(active())).toMatchObject({ intervalMinutes: 360, reason: 'push active' });
  });

  it('polls it at its own rhythm while the subscription is pending or failed', () => {
    expect(poll({ state: 'pending' })).toMatchObject({ intervalMinutes: 30, reason: 'posts ~every 1 h' });
    expect(poll({ state: 'failed' })).toMatchObject({ intervalMinutes: 30 });
  });

  it('polls it at its own rhythm once the push has been quiet for more than twice its usual gap', () => {
    const quiet = active({ verifiedAt: at(-3 * DAY), lastPushAt: at(-2 * HOUR - MINUTE) });
    expect(poll(quiet)).toMatchObject({ intervalMinutes: 30, reason: 'posts ~every 1 h' });
    expect(poll(active({ verifiedAt: at(-3 * DAY), lastPushAt: at(-2 * HOUR + MINUTE) }))).toMatchObject({ reason: 'push active' });
  });

  it('polls it at its own rhythm once the lease has ended', () => {
    expect(poll(active({ leaseEndsAt: at(-MINUTE) }))).toMatchObject({ intervalMinutes: 30 });
  });

  it('comes back before a short lease ends, so the poll that renews it is in time', () => {
    expect(poll(active({ leaseEndsAt: at(2 * HOUR) }))).toMatchObject({ intervalMinutes: 60, reason: 'push active; lease ends in 2 h' });
    expect(poll(active({ leaseEndsAt: at(4 * MINUTE) }))).toMatchObject({ intervalMinutes: 5 });
  });

  it('still backs off a failing feed beyond schedule.maxMinutes', () => {
    expect(poll(active(), { consecutiveFailures: 8 }, true)).toMatchObject({ intervalMinutes: 1440, reason: 'backing off after 8 failures' });
  });

  it('trusts the lease alone for a feed without a regular rhythm', () => {
    expect(poll(active({ lastPushAt: at(-20 * DAY), verifiedAt: at(-20 * DAY) }), { newItemTimes: [] })).toMatchObject({ reason: 'push active' });
  });
});
