import { describe, expect, it } from 'vitest';
import { feedHealth } from '../../../lambda/core/cycle/feed-health.ts';
import { emptyFeedState } from '../../../lambda/core/cycle/next-feed-state.ts';
import type { FeedState } from '../../../lambda/core/domain/feed-state.ts';

const NOW = new Date('2026-03-10T00:00:00Z');
const HOUR = 3_600_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const state = (patch: Partial<FeedState>): FeedState => ({ ...emptyFeedState('https://feed.example/rss'), ...patch });

describe('feedHealth', () => {
  it('flags a feed failing for 24 hours, not one failing for an hour', () => {
    const day = feedHealth(state({ consecutiveFailures: 30, failingSince: ago(25 * HOUR), lastError: 'timeout: no response' }), NOW);
    const hour = feedHealth(state({ consecutiveFailures: 6, failingSince: ago(HOUR) }), NOW);
    expect(day.flags).toEqual(['failing']);
    expect(day.reasons[0]).toContain('timeout: no response');
    expect(hour.flags).toEqual([]);
  });

  it('flags an hourly feed silent after three days, but not a weekly feed', () => {
    const hourly = Array.from({ length: 48 }, (_, i) => ago(4 * 24 * HOUR + i * HOUR));
    const weekly = Array.from({ length: 5 }, (_, i) => ago(4 * 24 * HOUR + i * 7 * 24 * HOUR));
    expect(feedHealth(state({ newItemTimes: hourly.sort() }), NOW).flags).toEqual(['silent']);
    expect(feedHealth(state({ newItemTimes: weekly.sort() }), NOW).flags).toEqual([]);
  });

  it('never calls a feed without item history silent', () => {
    expect(feedHealth(state({ lastSuccessAt: ago(30 * 24 * HOUR) }), NOW).flags).toEqual([]);
  });

  it('counts items per day over the last week', () => {
    const times = Array.from({ length: 20 }, (_, i) => ago(i * 12 * HOUR + HOUR)).sort();
    expect(feedHealth(state({ newItemTimes: times }), NOW).itemsPerDay).toBeCloseTo(2, 1);
  });
});
