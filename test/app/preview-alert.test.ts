import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../lambda/adapters/memory/memory-store.ts';
import { previewAlert } from '../../lambda/app/preview-alert.ts';
import { RecentStoryCache } from '../../lambda/app/recent-story-cache.ts';
import type { RecentStory } from '../../lambda/core/domain/recent-story.ts';
import type { RecentStoryReader } from '../../lambda/core/ports/recent-stories.ts';
import { compileTopics } from '../../lambda/core/query/compile-topics.ts';

const NOW = new Date('2026-03-09T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();

function recent(key: string, firstSeenAt: string, title: string, text = '', categories: string[] = []): RecentStory {
  return {
    key,
    title,
    text,
    categories,
    url: `https://news.example/${key}`,
    source: 'Test News',
    firstSeenAt,
    expiresAt: Math.floor(Date.parse(firstSeenAt) / 1000) + 8 * 86_400,
  };
}

/** The memory store, with each read counted: what a preview costs in store requests. */
class CountingReader implements RecentStoryReader {
  readonly calls: Array<[string, string]> = [];
  constructor(readonly store: MemoryStore) {}
  recentStories(after: string, until: Date): Promise<RecentStory[]> {
    this.calls.push([after, until.toISOString()]);
    return this.store.recentStories(after, until);
  }
}

async function cacheOver(stories: RecentStory[], now = NOW) {
  let clock = now;
  const store = new MemoryStore({ now: () => clock });
  for (const story of stories) await store.putRecentStory(story);
  const reader = new CountingReader(store);
  const cache = new RecentStoryCache(reader, { now: () => clock }, { minRefreshMs: 0 });
  return { store, reader, cache, setNow: (d: Date) => (clock = d) };
}

describe('previewing an alert over the stories of the last 7 days', () => {
  it('lists the matching stories newest first, with title marks and a highlighted snippet, and counts them', async () => {
    // Prepare
    const { cache } = await cacheOver([
      recent('old', hoursAgo(200), 'JAXA story from last week'),
      recent('a', hoursAgo(100), 'JAXA confirms intrusion', 'The agency said the intrusion began in June.'),
      recent('b', hoursAgo(50), 'Weather report', 'Rain over Tokyo.'),
      recent('c', hoursAgo(10), 'Ground systems hardened', 'After the breach, JAXA hardened its ground systems.'),
      recent('d', hoursAgo(5), 'JAXA shares lessons', '', ['space']),
    ]);
    // Act
    const preview = previewAlert('JAXA', await cache.stories(), NOW, 2);
    // Assess
    expect(preview.matched).toBe(3);
    expect(preview.scanned).toBe(4);
    expect(preview.stories.map((s) => s.key)).toEqual(['d', 'c']);
    const [, hardened] = preview.stories;
    expect(hardened).toMatchObject({ title: 'Ground systems hardened', titleMarks: [], url: 'https://news.example/c', source: 'Test News' });
    expect(hardened!.snippet).toEqual({ text: 'After the breach, JAXA hardened its ground systems.', marks: [[18, 22]] });
    expect(preview.stories[0]!.titleMarks).toEqual([[0, 4]]);
  });

  it('finds exactly what the matcher finds: phrases, prefixes, case-sensitive terms, CJK, NOT and categories', async () => {
    // Prepare
    const texts: Array<[string, string, string[]]> = [
      ['Tick group returns', 'tick-borne disease', []],
      ['TICK season', 'ticks everywhere', []],
      ['Unit 61419 named', 'officers of unit 61419', []],
      ['宇宙航空研究開発機構が発表', '', []],
      ['Cyberattack on ISAS', 'cyber defence', ['Security']],
      ['ＪＡＸＡ update', 'full-width letters', []],
      ['Nothing here', 'at all', ['misc']],
      ['İSTANBUL talks', 'Σοφία ΟΔΥΣΣΕΥΣ', []],
      ['istanbul talks resume', 'οδυσσευς', []],
    ];
    const stories = texts.map(([title, text, categories], i) => recent(`s${i}`, hoursAgo(i + 1), title, text, categories));
    const { cache } = await cacheOver(stories);
    const held = await cache.stories();
    for (const query of ['=Tick', 'tick*', '"unit 61419"', '宇宙', 'cyber* -defence', 'security', 'JAXA', 'tick NOT season', '(isas OR jaxa) update', 'istanbul', 'İstanbul', 'οδυσσευς', '=ΟΔΥΣΣΕΥΣ']) {
      // Act
      const preview = previewAlert(query, held, NOW, 100);
      // Assess: the same stories the real matcher picks, one by one
      const matcher = compileTopics([{ id: 'q', query }]);
      const expected = stories.filter((s) => matcher.match(s).length > 0).map((s) => s.key);
      expect(preview.stories.map((s) => s.key).sort(), query).toEqual(expected.sort());
    }
  });

  it('reads the week once, then only what is new, and drops stories as they pass 7 days', async () => {
    // Prepare
    const { store, reader, cache, setNow } = await cacheOver([recent('a', hoursAgo(167), 'JAXA a'), recent('b', hoursAgo(1), 'JAXA b')]);
    expect((await cache.stories()).map((s) => s.key)).toEqual(['a', 'b']);
    // Act: a story written late by a slow worker (first seen before b), and a new one
    await store.putRecentStory(recent('late', hoursAgo(1.01), 'JAXA late'));
    await store.putRecentStory(recent('c', hoursAgo(0.5), 'JAXA c'));
    const later = new Date(NOW.getTime() + 2 * 3_600_000);
    setNow(later);
    const held = await cache.stories();
    // Assess
    expect(held.map((s) => s.key)).toEqual(['late', 'b', 'c']);
    expect(reader.calls).toEqual([
      [hoursAgo(168), NOW.toISOString()],
      [new Date(Date.parse(hoursAgo(1)) - 5 * 60_000).toISOString(), later.toISOString()],
    ]);
    expect(previewAlert('JAXA', held, later, 10).matched).toBe(3);
  });

  it('shares one read between previews within the refresh interval', async () => {
    const store = new MemoryStore({ now: () => NOW });
    const reader = new CountingReader(store);
    const cache = new RecentStoryCache(reader, { now: () => NOW }, { minRefreshMs: 5_000 });
    await Promise.all([cache.stories(), cache.stories()]);
    await cache.stories();
    expect(reader.calls).toHaveLength(1);
  });

  it('says nothing matched when no story of the week holds the query', async () => {
    const { cache } = await cacheOver([recent('a', hoursAgo(3), 'Weather report')]);
    expect(previewAlert('JAXA', await cache.stories(), NOW, 20)).toEqual({ stories: [], matched: 0, scanned: 1 });
  });
});
