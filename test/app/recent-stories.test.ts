import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCycle } from '../../lambda/app/run-cycle.ts';
import { RECENT_TEXT_MAX } from '../../lambda/core/domain/recent-story.ts';
import { subscriberId } from '../../lambda/core/ids/subscriber-id.ts';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { openWorkspace, testConfig, type Workspace } from './support.ts';

// The poll side keeps each new story's matchable text for a week, for the alert preview
// (docs/table-layout.md, "Recent stories"), over real parts: a local feed server and the embedded store.

const EMAIL = 'analyst@example.com';
const NOW = '2026-03-02T01:00:00.000Z';

function feed(items: Array<{ title: string; link: string; description: string; pubDate: string; categories?: string[] }>): string {
  const body = items
    .map(
      (item) => `<item><title>${item.title}</title><link>${item.link}</link><description>${item.description}</description>` +
        `<pubDate>${new Date(item.pubDate).toUTCString()}</pubDate>${(item.categories ?? []).map((c) => `<category>${c}</category>`).join('')}</item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire</title><link>https://news.example/</link><description>d</description>${body}</channel></rss>`;
}

describe('recent stories kept for the alert preview', () => {
  let server: FeedServer;
  let ws: Workspace;
  let config: ReturnType<typeof testConfig>;

  beforeAll(async () => {
    server = await startFeedServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(async () => {
    ws = await openWorkspace();
    config = testConfig({
      feeds: [{ url: server.url('/feed.xml'), name: 'Wire' }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      subscribers: [{ email: EMAIL, topics: ['jaxa'] }],
      mail: { from: 'alerts@example.com' },
    });
  });
  afterEach(async () => {
    await ws?.close();
  });

  it('keeps each new story\'s title, text, categories and source for a week, matched or not', async () => {
    // Prepare
    server.route('/feed.xml', {
      body: feed([
        { title: 'JAXA launches H3', link: 'https://news.example/h3', description: 'Lift-off at Tanegashima.', pubDate: '2026-03-02T00:00:00Z', categories: ['Space', '宇宙'] },
        { title: 'Rain in Osaka', link: 'https://news.example/rain', description: 'Umbrellas out.', pubDate: '2026-03-01T23:00:00Z' },
      ]),
    });
    // Act
    await runCycle(ws.deps(config, NOW));
    const kept = await ws.opened.store.recentStories('', new Date(NOW));
    // Assess
    expect(kept).toEqual(
      expect.arrayContaining([
        {
          key: 'https://news.example/h3',
          title: 'JAXA launches H3',
          text: 'Lift-off at Tanegashima.',
          categories: ['Space', '宇宙'],
          url: 'https://news.example/h3',
          source: 'Wire',
          publishedAt: '2026-03-02T00:00:00.000Z',
          firstSeenAt: NOW,
          expiresAt: Date.parse(NOW) / 1000 + 8 * 86_400,
        },
        expect.objectContaining({ title: 'Rain in Osaka', categories: [] }),
      ]),
    );
    expect(kept).toHaveLength(2);
  });

  it('keeps nothing of a story too old to alert, and nothing again for a story already seen', async () => {
    // Prepare
    const fresh = { title: 'JAXA news', link: 'https://news.example/fresh', description: 'New.', pubDate: '2026-03-01T12:00:00Z' };
    server.route('/feed.xml', { body: feed([fresh, { title: 'JAXA archive', link: 'https://news.example/old', description: 'Old.', pubDate: '2026-02-01T00:00:00Z' }]) });
    await runCycle(ws.deps(config, NOW));
    // Act: the next cycle sees the same story again (from a changed feed).
    server.route('/feed.xml', { body: feed([{ ...fresh, description: 'New, edited.' }]) });
    await runCycle(ws.deps(config, '2026-03-02T02:00:00.000Z'));
    // Assess
    const kept = await ws.opened.store.recentStories('', new Date('2026-03-02T02:00:00.000Z'));
    expect(kept.map((story) => [story.title, story.text])).toEqual([['JAXA news', 'New.']]);
  });

  it('keeps the text of a long story cut at the length the preview matches', async () => {
    server.route('/feed.xml', { body: feed([{ title: 'JAXA long read', link: 'https://news.example/long', description: '宇宙'.repeat(20_000), pubDate: '2026-03-02T00:00:00Z' }]) });
    await runCycle(ws.deps(config, NOW));
    const [kept] = await ws.opened.store.recentStories('', new Date(NOW));
    expect(kept?.text).toHaveLength(RECENT_TEXT_MAX);
    expect(kept?.text.endsWith('…')).toBe(true);
  });

  it('still records and alerts a new story when the store refuses its preview text', async () => {
    // Prepare: DynamoDB throttles every write of a recent story (no emulator throttles, so the
    // refusal is injected into the client, before the SDK's own retries).
    ws.opened.client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers?: Record<string, string>; body?: unknown } | undefined;
        const body = request?.body instanceof Uint8Array ? new TextDecoder().decode(request.body) : String(request?.body ?? '');
        if (request?.headers?.['x-amz-target']?.endsWith('.PutItem') && body.includes('"RECENT#')) throw new ProvisionedThroughputExceededException({ message: 'Rate of requests exceeds the allowed throughput', $metadata: {} });
        return next(args);
      },
      { step: 'build', name: 'throttleRecentStories' },
    );
    server.route('/feed.xml', { body: feed([{ title: 'JAXA launches H3', link: 'https://news.example/h3', description: 'Lift-off.', pubDate: '2026-03-02T00:00:00Z' }]) });
    // Act
    const report = await runCycle(ws.deps(config, NOW));
    // Assess
    expect(report.feeds[0]).toMatchObject({ new: 1, hits: 1 });
    expect(report.feeds[0]?.failedEntries).toBeUndefined();
    expect(report.emails).toEqual([expect.objectContaining({ to: EMAIL, items: 1 })]);
    expect(await ws.opened.store.recentStories('', new Date(NOW))).toEqual([]);
    expect(await ws.opened.store.pendingHits(subscriberId(EMAIL))).toEqual([]);
  });
});
