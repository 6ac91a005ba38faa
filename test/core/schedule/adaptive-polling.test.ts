import { describe, expect, it } from 'vitest';
import { simulatePolling } from './simulate-polling.ts';

// README's target for adaptive polling, checked by polling simulated feeds for a week with the
// default schedule: slow feeds cost at least 5× fewer polls than a fixed 10-minute interval, and
// no story of a fast feed waits longer than the feed's own gap.

const schedule = { pollMinutes: 10, minMinutes: 5, maxMinutes: 360 };
const FIXED_10_MIN_PER_DAY = 144;
const DAYS = 7;

describe('adaptive polling over a simulated week', () => {
  it.each([
    ['posts daily', [1440]],
    ['posts every few days', [1440, 4320, 2880]],
    ['posts weekly', [10_080]],
  ])('polls a feed that %s at least 5× less often than every 10 minutes', (_name, gapsMinutes) => {
    const { pollsPerDay } = simulatePolling({ gapsMinutes }, schedule, DAYS);
    expect(pollsPerDay).toBeLessThanOrEqual(FIXED_10_MIN_PER_DAY / 5);
  });

  it.each([
    ['every 7 minutes', [7], 7],
    ['every 20 minutes', [20], 20],
    ['hourly', [60], 60],
    ['every 30 minutes on average, unevenly', [15, 30, 45, 10, 50], 30],
    ['every 2 hours', [120], 120],
  ])('delays no story of a feed posting %s by more than its gap', (_name, gapsMinutes, gap) => {
    // Posts shifted against the polls by a spread of phases, so some land just after a poll.
    const delays = [0, 0.2, 0.45, 0.7, 0.95].map((f) => simulatePolling({ gapsMinutes, phaseMinutes: f * gap }, schedule, DAYS).maxDelayMinutes);
    expect(Math.max(...delays)).toBeLessThanOrEqual(gap);
    expect(Math.max(...delays)).toBeGreaterThan(0);
  });

  it('settles a fast feed at half its gap once its first response shows its rhythm', () => {
    const { intervals } = simulatePolling({ gapsMinutes: [60] }, schedule, 1);
    expect(intervals[0]).toEqual({ minutes: 30, reason: 'posts ~every 1 h' });
    expect(new Set(intervals.map((i) => i.minutes))).toEqual(new Set([30]));
  });

  it('polls no faster than the server’s max-age, even a feed that posts faster', () => {
    const { pollsPerDay } = simulatePolling({ gapsMinutes: [10], hints: { maxAgeSeconds: 3600 } }, schedule, DAYS);
    expect(pollsPerDay).toBe(24);
  });

  it('backs off while a feed fails and returns to its rhythm when it answers again', () => {
    const failingPolls = new Set([2, 3, 4]);
    const { intervals } = simulatePolling({ gapsMinutes: [60], failingPolls }, schedule, 1);
    expect(intervals.slice(0, 6).map((i) => i.minutes)).toEqual([30, 30, 40, 80, 30, 30]);
    expect(intervals[3]!.reason).toBe('backing off after 3 failures');
  });
});
