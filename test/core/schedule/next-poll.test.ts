import { describe, expect, it } from 'vitest';
import { emptyFeedState } from '../../../lambda/core/cycle/next-feed-state.ts';
import type { FeedState } from '../../../lambda/core/domain/feed-state.ts';
import { type NextPollInput, nextPoll, type PollHints } from '../../../lambda/core/schedule/next-poll.ts';

const NOW = new Date('2026-03-10T12:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const schedule = { pollMinutes: 10, minMinutes: 5, maxMinutes: 360 };

/** `count` item times `gapMs` apart, the newest `newestAgoMs` before NOW, oldest first. */
function postedEvery(gapMs: number, count: number, newestAgoMs = 0): string[] {
  return Array.from({ length: count }, (_, i) => new Date(NOW.getTime() - newestAgoMs - (count - 1 - i) * gapMs).toISOString());
}

function poll(patch: Partial<FeedState> = {}, hints: PollHints = {}, extra: Partial<NextPollInput> = {}) {
  const state = { ...emptyFeedState('https://feed.example/rss'), ...patch };
  return nextPoll({ now: NOW, schedule, state, failed: false, hints, ...extra });
}

describe('nextPoll: the feed’s own rhythm', () => {
  it('polls a feed with no history at schedule.pollMinutes', () => {
    expect(poll()).toEqual({ nextDueAt: '2026-03-10T12:10:00.000Z', intervalMinutes: 10, reason: 'no history yet' });
  });

  it('polls an hourly poster every 30 minutes, half its gap', () => {
    const next = poll({ newItemTimes: postedEvery(HOUR, 24) });
    expect(next.intervalMinutes).toBe(30);
    expect(next.reason).toBe('posts ~every 1 h');
    expect(next.nextDueAt).toBe('2026-03-10T12:30:00.000Z');
  });

  it('polls a feed posting every 2 hours every hour', () => {
    expect(poll({ newItemTimes: postedEvery(2 * HOUR, 10) })).toMatchObject({ intervalMinutes: 60, reason: 'posts ~every 2 h' });
  });

  it('polls a daily poster only at schedule.maxMinutes', () => {
    const next = poll({ newItemTimes: postedEvery(DAY, 10, HOUR) });
    expect(next).toMatchObject({ intervalMinutes: 360, reason: 'posts ~every 24 h; held at schedule.maxMinutes' });
  });

  it('never polls a very fast feed faster than schedule.minMinutes', () => {
    const next = poll({ newItemTimes: postedEvery(2 * MINUTE, 50) });
    expect(next).toMatchObject({ intervalMinutes: 5, reason: 'posts ~every 2 min; held at schedule.minMinutes' });
  });

  it('uses the median gap, so one burst or one long pause does not set the pace', () => {
    const times = [...postedEvery(HOUR, 12, 3 * HOUR), ...postedEvery(MINUTE, 3)].sort();
    expect(poll({ newItemTimes: times }).intervalMinutes).toBe(30);
  });

  it('needs three gaps in the last 30 days before it trusts a rhythm', () => {
    expect(poll({ newItemTimes: postedEvery(HOUR, 3) }).reason).toBe('no history yet');
    expect(poll({ newItemTimes: postedEvery(HOUR, 4) }).reason).toBe('posts ~every 1 h');
  });

  it('ignores item times in the future', () => {
    const future = postedEvery(MINUTE, 20, -DAY);
    expect(poll({ newItemTimes: [...postedEvery(HOUR, 10), ...future] }).intervalMinutes).toBe(30);
  });

  it('polls a feed that posts less than weekly at schedule.maxMinutes', () => {
    const next = poll({ newItemTimes: postedEvery(20 * DAY, 6) });
    expect(next).toMatchObject({ intervalMinutes: 360, reason: 'posts rarely (2 in 30 days)' });
  });

  it('slows an hourly poster that has gone silent for days to schedule.maxMinutes', () => {
    const next = poll({ newItemTimes: postedEvery(HOUR, 48, 4 * DAY) });
    expect(next).toMatchObject({ intervalMinutes: 360, reason: 'no new item for 4 d' });
  });

  it('keeps an hourly poster’s pace through a quiet weekend', () => {
    expect(poll({ newItemTimes: postedEvery(HOUR, 48, 2.5 * DAY) }).intervalMinutes).toBe(30);
  });

  it('gives the same answer for the same input', () => {
    const input = { newItemTimes: postedEvery(37 * MINUTE, 30) };
    expect(poll(input)).toEqual(poll(input));
  });
});

describe('nextPoll: what the server and the feed ask for', () => {
  const hourly = { newItemTimes: postedEvery(HOUR, 24) };

  it('polls no faster than the server’s max-age', () => {
    expect(poll(hourly, { maxAgeSeconds: 3600 })).toMatchObject({ intervalMinutes: 60, reason: 'server max-age 1 h' });
  });

  it('keeps the rhythm when max-age is shorter than it', () => {
    expect(poll(hourly, { maxAgeSeconds: 300 })).toMatchObject({ intervalMinutes: 30, reason: 'posts ~every 1 h' });
  });

  it('holds a max-age longer than schedule.maxMinutes at schedule.maxMinutes', () => {
    expect(poll(hourly, { maxAgeSeconds: 7 * 86_400 })).toMatchObject({
      intervalMinutes: 360,
      reason: 'server max-age 7 d; held at schedule.maxMinutes',
    });
  });

  it('rounds a max-age up to whole minutes, never coming back early', () => {
    expect(poll(hourly, { maxAgeSeconds: 3601 }).intervalMinutes).toBe(61);
  });

  it('polls no faster than the feed’s RSS ttl', () => {
    expect(poll(hourly, { ttlMinutes: 60 })).toMatchObject({ intervalMinutes: 60, reason: 'RSS ttl 60 min' });
    expect(poll(hourly, { ttlMinutes: 1440 })).toMatchObject({ intervalMinutes: 360, reason: 'RSS ttl 1440 min; held at schedule.maxMinutes' });
  });

  it('polls no faster than the feed’s sy:updatePeriod', () => {
    expect(poll(hourly, { updateEveryMinutes: 120 })).toMatchObject({ intervalMinutes: 120, reason: 'feed updates every 2 h' });
  });

  it('starts a feed with no history at its declared interval instead of pollMinutes', () => {
    expect(poll({}, { ttlMinutes: 5 })).toMatchObject({ intervalMinutes: 5, reason: 'RSS ttl 5 min' });
    expect(poll({}, { updateEveryMinutes: 60, ttlMinutes: 30 })).toMatchObject({ intervalMinutes: 60, reason: 'feed updates every 1 h' });
  });

  it('ignores hints that are zero, negative or not numbers', () => {
    expect(poll(hourly, { maxAgeSeconds: 0, ttlMinutes: -5, updateEveryMinutes: Number.NaN, retryAfterSeconds: 0 }).intervalMinutes).toBe(30);
  });
});

describe('nextPoll: after failures', () => {
  const failing = (consecutiveFailures: number, hints: PollHints = {}, patch: Partial<FeedState> = {}) =>
    poll({ consecutiveFailures, ...patch }, hints, { failed: true });

  it('doubles from pollMinutes with each consecutive failure', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => failing(n).intervalMinutes)).toEqual([20, 40, 80, 160, 320, 640]);
    expect(failing(4).reason).toBe('backing off after 4 failures');
    expect(failing(1).reason).toBe('backing off after 1 failure');
  });

  it('caps the backoff at 24 hours, above schedule.maxMinutes', () => {
    expect(failing(7).intervalMinutes).toBe(1280);
    expect(failing(8).intervalMinutes).toBe(1440);
    expect(failing(500).intervalMinutes).toBe(1440);
  });

  it('never polls a slow feed sooner because it failed', () => {
    const next = failing(1, {}, { newItemTimes: postedEvery(DAY, 10, HOUR) });
    expect(next.intervalMinutes).toBe(360);
  });

  it('waits at least as long as Retry-After asks', () => {
    expect(failing(1, { retryAfterSeconds: 7200 })).toMatchObject({ intervalMinutes: 120, reason: 'server asked to wait 2 h (Retry-After)' });
    expect(failing(1, { retryAfterSeconds: 90 }).intervalMinutes).toBe(20);
  });

  it('caps Retry-After at 24 hours', () => {
    expect(failing(1, { retryAfterSeconds: 30 * 86_400 }).intervalMinutes).toBe(1440);
  });

  it('does not back off a poll that succeeded', () => {
    expect(poll({ consecutiveFailures: 0, newItemTimes: postedEvery(HOUR, 24) }).intervalMinutes).toBe(30);
  });
});
