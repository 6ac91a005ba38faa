// The alert preview's latency and store requests over a week of recent stories on the embedded
// store (README, "Personal alerts"), for bench/alerts.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '../../lambda/adapters/dynamodb/open-store.ts';
import { attachRequestCounter } from '../../lambda/adapters/dynamodb/request-counter.ts';
import { mapLimit } from '../../lambda/app/map-limit.ts';
import { previewAlert } from '../../lambda/app/preview-alert.ts';
import { RecentStoryCache } from '../../lambda/app/recent-story-cache.ts';
import { RECENT_STORY_DAYS, type RecentStory } from '../../lambda/core/domain/recent-story.ts';
import { systemClock } from '../../lambda/core/ports/clock.ts';
import { PREVIEW_LIMIT } from '../../lambda/web/html/preview-results.ts';
import { quantile } from './quantile.ts';
import { makeAlertQueries, makeNewsItems, type NewsItem, type NewsVocabulary } from './query-generator.ts';

export interface PreviewFigures {
  stories: number;
  writeSeconds: number;
  cold: { ms: number; requests: Record<string, number>; stories: number };
  warm: { previews: number; p50: number; p95: number; max: number; meanMatched: number; requestsPerPreview: { mean: number; max: number }; byOperation: Record<string, number> };
  previewOnly: { p50: number; p95: number; max: number };
}

/**
 * Writes `stories` recent stories spread over the last week into a fresh embedded store, then times
 * a cold first preview and `previews` warm ones (cache refresh + preview), counting store requests.
 */
export async function measurePreview({ stories: STORIES, previews: PREVIEWS, vocabulary }: { stories: number; previews: number; vocabulary: NewsVocabulary }): Promise<PreviewFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'newshound-bench-alerts-'));
  const opened = await openStore({ dataDir: dir, env: { NEWSHOUND_TABLE: '' } });
  try {
    const now = Date.now();
    const week = 7 * 86_400_000;
    const items = makeNewsItems(Math.min(STORIES, 5_000), vocabulary, 31);
    const sources = ['NHK', 'The Record', 'Kyodo', 'Reuters', 'JPCERT/CC', 'Nikkei', 'BleepingComputer', 'Xinhua'];
    const story = (i: number, at: number): RecentStory => {
      const item = items[i % items.length] as NewsItem;
      const firstSeenAt = new Date(at).toISOString();
      return {
        key: `https://news.example/${i}`,
        title: item.title,
        text: item.text,
        categories: item.categories,
        url: `https://news.example/${sources[i % sources.length]?.toLowerCase().replace(/\W/g, '')}/${i}`,
        source: sources[i % sources.length] as string,
        publishedAt: firstSeenAt,
        firstSeenAt,
        expiresAt: Math.floor(at / 1000) + RECENT_STORY_DAYS * 86_400,
      };
    };
    // A week of stories, evenly spread, ending a minute ago.
    const writeStart = performance.now();
    await mapLimit(
      Array.from({ length: STORIES }, (_, i) => i),
      16,
      (i) => opened.store.putRecentStory(story(i, now - 60_000 - week + Math.floor(((i + 1) * (week - 120_000)) / STORIES))),
    );
    const writeSeconds = (performance.now() - writeStart) / 1000;
    console.log(`preview: ${STORIES.toLocaleString('en')} recent stories over 7 days written to the embedded store in ${writeSeconds.toFixed(0)} s`);

    const counter = attachRequestCounter(opened.client);
    const queries = makeAlertQueries(PREVIEWS, vocabulary, 41);
    // Cold: a new container's first preview reads the whole week.
    const cache = new RecentStoryCache(opened.store, systemClock, { minRefreshMs: 0 });
    counter.reset();
    const coldStart = performance.now();
    const coldStories = await cache.stories();
    previewAlert(queries[0] as string, coldStories, new Date(), PREVIEW_LIMIT);
    const coldMs = performance.now() - coldStart;
    const coldRequests = counter.counts();
    console.log(`preview cold: ${coldMs.toFixed(0)} ms for the first preview (${coldStories.length.toLocaleString('en')} stories read; requests ${JSON.stringify(coldRequests)})`);

    // Warm: every preview refreshes the cache (minRefreshMs 0: the worst case) then matches; a new
    // story arrives every 10 previews, as the poll side writes them.
    const total: number[] = [];
    const only: number[] = [];
    const requests: number[] = [];
    const byOperation: Record<string, number> = {};
    let matched = 0;
    for (let i = 0; i < queries.length; i++) {
      if (i % 10 === 0) await opened.store.putRecentStory(story(STORIES + i, Date.now()));
      counter.reset();
      const start = performance.now();
      const stories = await cache.stories();
      const mid = performance.now();
      const result = previewAlert(queries[i] as string, stories, new Date(), PREVIEW_LIMIT);
      const end = performance.now();
      total.push(end - start);
      only.push(end - mid);
      matched += result.matched;
      const counts = counter.counts();
      requests.push(Object.values(counts).reduce((a, b) => a + b, 0));
      for (const [op, n] of Object.entries(counts)) byOperation[op] = (byOperation[op] ?? 0) + n / queries.length;
    }
    total.sort((a, b) => a - b);
    only.sort((a, b) => a - b);
    const warm = {
      previews: queries.length,
      p50: quantile(total, 0.5),
      p95: quantile(total, 0.95),
      max: total.at(-1) ?? 0,
      meanMatched: matched / queries.length,
      requestsPerPreview: { mean: requests.reduce((a, b) => a + b, 0) / requests.length, max: Math.max(...requests) },
      byOperation,
    };
    console.log(
      `preview warm (refresh + preview) over ${queries.length} queries: p50 ${warm.p50.toFixed(0)} ms, p95 ${warm.p95.toFixed(0)} ms, max ${warm.max.toFixed(0)} ms; preview alone p50 ${quantile(only, 0.5).toFixed(0)} ms, p95 ${quantile(only, 0.95).toFixed(0)} ms; ${warm.meanMatched.toFixed(0)} stories matched per query on average; store requests per preview mean ${warm.requestsPerPreview.mean.toFixed(2)}, max ${warm.requestsPerPreview.max} (${JSON.stringify(Object.fromEntries(Object.entries(byOperation).map(([k, v]) => [k, Number(v.toFixed(2))])))})`,
    );
    return {
      stories: STORIES,
      writeSeconds,
      cold: { ms: coldMs, requests: coldRequests, stories: coldStories.length },
      warm,
      previewOnly: { p50: quantile(only, 0.5), p95: quantile(only, 0.95), max: only.at(-1) ?? 0 },
    };
  } finally {
    await opened.close();
    await rm(dir, { recursive: true, force: true });
  }
}

