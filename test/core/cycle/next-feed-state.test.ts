import { describe, expect, it } from 'vitest';
import { afterFailure, afterNotModified, afterSuccess, emptyFeedState, ITEM_TIMES_KEPT } from '../../../lambda/core/cycle/next-feed-state.ts';
import { keyHash, newestEntries, selectNewEntries } from '../../../lambda/core/cycle/select-new-entries.ts';
import { isTooOld } from '../../../lambda/core/cycle/item-age.ts';
import { FeedError } from '../../../lambda/core/errors/feed-error.ts';
import type { FeedEntry } from '../../../lambda/core/model.ts';

const NOW = new Date('2026-03-02T00:00:00Z');
const LATER = new Date('2026-03-02T00:10:00Z');
const entry = (key: string): FeedEntry => ({ key, title: key, text: '', categories: [] });

describe('feed state transitions', () => {
  it('writes nothing for a 304 from a healthy feed, and ends a failing streak on a 304', () => {
    const healthy = afterSuccess(emptyFeedState('u'), { keyHashes: ['a'], newItemTimes: [], etag: '"1"' }, NOW)!;
    const failing = afterFailure(healthy, new FeedError('timeout', 'slow'), NOW);
    expect(afterNotModified(healthy, LATER)).toBeUndefined();
    expect(afterNotModified(failing, LATER)).toMatchObject({ consecutiveFailures: 0, lastStatus: '304' });
    expect(afterNotModified(failing, LATER)?.failingSince).toBeUndefined();
  });

  it('writes nothing for a 200 that changed nothing a later cycle reads', () => {
    const first = afterSuccess(emptyFeedState('u'), { keyHashes: ['a', 'b'], newItemTimes: [NOW.toISOString()] }, NOW)!;
    expect(afterSuccess(first, { keyHashes: ['a', 'b'], newItemTimes: [] }, LATER)).toBeUndefined();
    expect(afterSuccess(first, { keyHashes: ['c', 'a', 'b'], newItemTimes: [LATER.toISOString()] }, LATER)?.recentKeyHashes).toEqual(['c', 'a', 'b']);
  });

  it('counts consecutive failures from the first failure of the streak', () => {
    const once = afterFailure(emptyFeedState('u'), new FeedError('http-status', '500 Internal Server Error', 500), NOW);
    const twice = afterFailure(once, new FeedError('http-status', '500 Internal Server Error', 500), LATER);
    expect(twice).toMatchObject({ consecutiveFailures: 2, failingSince: NOW.toISOString(), lastStatus: 'http-status' });
    expect(twice.lastError).toBe('http-status: 500 Internal Server Error');
  });

  it('keeps a huge error message and feed title short in the stored state', () => {
    const failed = afterFailure(emptyFeedState('u'), new FeedError('not-a-feed', 'x'.repeat(400_000)), NOW);
    const titled = afterSuccess(emptyFeedState('u'), { keyHashes: [], newItemTimes: [], title: 'T'.repeat(400_000) }, NOW)!;
    expect(failed.lastError!.length).toBeLessThanOrEqual(500);
    expect(titled.title!.length).toBeLessThanOrEqual(300);
  });

  it('keeps at most ITEM_TIMES_KEPT item times, newest last', () => {
    const times = Array.from({ length: ITEM_TIMES_KEPT + 20 }, (_, i) => new Date(NOW.getTime() - i * 60_000).toISOString());
    const next = afterSuccess(emptyFeedState('u'), { keyHashes: [], newItemTimes: times }, NOW)!;
    expect(next.newItemTimes).toHaveLength(ITEM_TIMES_KEPT);
    expect(next.newItemTimes.at(-1)).toBe(NOW.toISOString());
  });
});

describe('selectNewEntries and the age cut-off', () => {
  it('skips entries of the last response and repeated keys', () => {
    expect(selectNewEntries([entry('a'), entry('b'), entry('c'), entry('c')], [keyHash('a')]).map((e) => e.key)).toEqual(['b', 'c']);
  });

  it('remembers a key of any length in 24 characters', () => {
    expect(keyHash(`https://x.example/${'q'.repeat(400_000)}`)).toMatch(/^[0-9a-f]{24}$/);
    expect(keyHash('a')).not.toBe(keyHash('b'));
  });

  it('considers the newest entries of a long feed, undated ones first', () => {
    const dated = (key: string, at: string): FeedEntry => ({ ...entry(key), publishedAt: at });
    const entries = [dated('old', '2026-01-01T00:00:00Z'), entry('undated'), dated('new', '2026-03-01T00:00:00Z'), dated('mid', '2026-02-01T00:00:00Z')];
    expect(newestEntries(entries, 3).map((e) => e.key)).toEqual(['undated', 'new', 'mid']);
    expect(newestEntries(entries, 10)).toHaveLength(4);
  });

  it('treats an undated or unreadable date as new, an item older than maxItemAgeDays as old', () => {
    expect(isTooOld(undefined, NOW, 7)).toBe(false);
    expect(isTooOld('not a date', NOW, 7)).toBe(false);
    expect(isTooOld('2026-02-20T00:00:00Z', NOW, 7)).toBe(true);
    expect(isTooOld('2026-02-26T00:00:00Z', NOW, 7)).toBe(false);
  });
});
