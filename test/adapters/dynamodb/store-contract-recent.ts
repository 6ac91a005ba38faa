import { describe, expect, it } from 'vitest';
import { RECENT_STORY_DAYS, RECENT_TEXT_MAX, type RecentStory } from '../../../lambda/core/domain/recent-story.ts';
import type { Store } from '../../../lambda/core/ports/store.ts';
import { DAY_SECONDS, T0, epoch, unique, type MovableClock } from './fixtures.ts';

// The Store contract, part three: recent stories, the alert preview's week of matchable text
// (docs/table-layout.md). Their day partitions are shared by every test on one table, so each test
// tags its stories' keys and looks only at those.

const at = (iso: string) => new Date(iso);

function recentStory(tag: string, firstSeenAt: string, overrides: Partial<RecentStory> = {}): RecentStory {
  return {
    key: `https://news.example.com/${tag}/${unique('story')}`,
    title: 'JAXA launches H3',
    text: 'The H3 rocket lifted off from Tanegashima on Saturday.',
    categories: ['Space', '宇宙'],
    url: 'https://news.example.com/h3',
    source: 'NHK News',
    publishedAt: '2025-03-01T08:00:00.000Z',
    firstSeenAt,
    expiresAt: epoch(at(firstSeenAt)) + RECENT_STORY_DAYS * DAY_SECONDS,
    ...overrides,
  };
}

const tagged = (tag: string, stories: RecentStory[]) => stories.filter((story) => story.key.includes(`/${tag}/`));

export function recentStoriesContract(fresh: () => { clock: MovableClock; store: Store }): void {
  describe('recent stories', () => {
    it('returns the stories of the last days oldest first, across day boundaries', async () => {
      // Prepare: written out of order, over three UTC days.
      const { store } = fresh();
      const tag = unique('order');
      const stories = ['2025-02-27T23:59:59.999Z', '2025-02-28T00:00:00.000Z', '2025-02-28T12:00:00.000Z', '2025-03-01T08:00:00.000Z'].map((iso) =>
        recentStory(tag, iso),
      );
      for (const story of [stories[2]!, stories[0]!, stories[3]!, stories[1]!]) await store.putRecentStory(story);
      // Act
      const found = tagged(tag, await store.recentStories('', T0));
      // Assess
      expect(found).toEqual(stories);
    });

    it('returns only what was first seen after the newest story the caller holds, up to the time asked', async () => {
      // Prepare
      const { store } = fresh();
      const tag = unique('after');
      const held = recentStory(tag, '2025-02-28T10:00:00.000Z');
      const sameInstant = recentStory(tag, held.firstSeenAt);
      const newer = recentStory(tag, '2025-02-28T10:00:00.001Z');
      const nextDay = recentStory(tag, '2025-03-01T08:59:59.999Z');
      const atUntil = recentStory(tag, T0.toISOString());
      const afterUntil = recentStory(tag, '2025-03-01T09:00:00.001Z');
      for (const story of [afterUntil, atUntil, nextDay, newer, sameInstant, held]) await store.putRecentStory(story);
      // Act
      const found = tagged(tag, await store.recentStories(held.firstSeenAt, T0));
      // Assess
      expect(found.map((story) => story.firstSeenAt)).toEqual([newer, nextDay, atUntil].map((story) => story.firstSeenAt));
    });

    it('returns nothing when the caller already holds everything up to the time asked', async () => {
      const { store } = fresh();
      const tag = unique('none');
      await store.putRecentStory(recentStory(tag, '2025-03-01T08:00:00.000Z'));
      expect(tagged(tag, await store.recentStories(T0.toISOString(), T0))).toEqual([]);
    });

    it('leaves out stories past their expiresAt, and stories older than the days kept', async () => {
      // Prepare
      const { clock, store } = fresh();
      const tag = unique('expired');
      const expired = recentStory(tag, '2025-02-27T09:00:00.000Z', { expiresAt: epoch(T0) - 1 });
      const expiring = recentStory(tag, '2025-02-28T09:00:00.000Z', { expiresAt: epoch(T0) + 60 });
      const tooOld = recentStory(tag, new Date(T0.getTime() - (RECENT_STORY_DAYS * DAY_SECONDS + 1) * 1000).toISOString(), { expiresAt: epoch(T0) + DAY_SECONDS });
      const live = recentStory(tag, '2025-03-01T08:00:00.000Z');
      for (const story of [expired, expiring, tooOld, live]) await store.putRecentStory(story);
      // Act
      const now = tagged(tag, await store.recentStories('', T0));
      clock.advanceSeconds(61);
      const later = tagged(tag, await store.recentStories('', T0));
      // Assess
      expect(now).toEqual([expiring, live]);
      expect(later).toEqual([live]);
    });

    it('keeps a story written twice (a retried cycle) once', async () => {
      const { store } = fresh();
      const tag = unique('twice');
      const story = recentStory(tag, '2025-03-01T07:00:00.000Z');
      await store.putRecentStory(story);
      await store.putRecentStory(story);
      expect(tagged(tag, await store.recentStories('', T0))).toEqual([story]);
    });

    it('stores a story at its bounds and reads it back whole', async () => {
      // Prepare: the longest title and text a story keeps, the most categories, the longest key.
      const { store } = fresh();
      const tag = unique('bounds');
      const prefix = `https://news.example.com/${tag}/`;
      const big = recentStory(tag, '2025-03-01T06:00:00.000Z', {
        key: prefix + 'k'.repeat(2048 - prefix.length),
        title: 'T'.repeat(1000),
        text: '宇宙航空研究開発機構'.repeat(RECENT_TEXT_MAX / 10),
        categories: Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(200, 'c')),
        url: `https://news.example.com/${'u'.repeat(2020)}`,
        source: 'S'.repeat(300),
      });
      expect(big.key).toHaveLength(2048);
      expect(big.text).toHaveLength(RECENT_TEXT_MAX);
      // Act
      await store.putRecentStory(big);
      // Assess
      expect(tagged(tag, await store.recentStories('', T0))).toEqual([big]);
    });

    it('reads a day holding more stories than one page of a Query', async () => {
      // Prepare: 20 stories of 60 KB each, more than the 1 MB a page holds.
      const { store } = fresh();
      const tag = unique('pages');
      const text = '報'.repeat(RECENT_TEXT_MAX);
      const stories = Array.from({ length: 20 }, (_, i) => recentStory(tag, `2025-03-01T05:${String(i).padStart(2, '0')}:00.000Z`, { text }));
      for (const story of stories) await store.putRecentStory(story);
      // Act
      const found = tagged(tag, await store.recentStories('', T0));
      // Assess
      expect(found.map((story) => story.key)).toEqual(stories.map((story) => story.key));
    });
  });
}
