import { decodeFeedBody } from '../../lambda/adapters/http/decode-feed-body.ts';
import { HttpFeedFetcher } from '../../lambda/adapters/http/http-feed-fetcher.ts';
import { HttpHubClient } from '../../lambda/adapters/http/http-hub-client.ts';
import { MemoryStore } from '../../lambda/adapters/memory/memory-store.ts';
import { silentLog } from '../../lambda/app/cycle-log.ts';
import { LiveConfigCache } from '../../lambda/app/live-config.ts';
import { RecentStoryCache } from '../../lambda/app/recent-story-cache.ts';
import { pollOneFeed, type PollOutcome, type WorkerDeps } from '../../lambda/app/poll-one-feed.ts';
import type { CallbackDeps } from '../../lambda/app/websub/handle-callback.ts';
import type { PushDeps } from '../../lambda/app/websub/maintain-push.ts';
import { pushAbsorber } from '../../lambda/app/websub/push-absorber.ts';
import type { FeedState } from '../../lambda/core/domain/feed-state.ts';
import type { Hit } from '../../lambda/core/domain/hit.ts';
import type { PushState } from '../../lambda/core/domain/push-state.ts';
import { subscriberId } from '../../lambda/core/ids/subscriber-id.ts';
import type { Clock } from '../../lambda/core/ports/clock.ts';
import { websubRoute } from '../../lambda/web/routes/websub.ts';
import { startWebServer, type RunningWebServer } from '../../lambda/web/node-server.ts';
import { testConfig } from '../app/support.ts';
import { type FeedServer, startFeedServer } from '../support/feed-server.ts';
import { RecordingMailer } from '../support/recording-mailer.ts';
import { startTestHub, type TestHub } from '../support/websub-hub.ts';

// One feed pushed through the test hub to the callback on the pages' HTTP server, polled by the
// worker service, on the in-memory store: the subscriber side of WebSub in one process.

const ANALYST = 'analyst@example.com';

/** An Atom feed naming `hub` and its own URL as topic, with one entry per title. */
export function atomFeed(selfUrl: string, hub: string | undefined, titles: readonly string[], publishedAt = new Date(), gapMinutes = 1): string {
  const entries = titles
    .map((title, i) => {
      const link = `https://news.example/${encodeURIComponent(title)}`;
      const at = new Date(publishedAt.getTime() - i * gapMinutes * 60_000).toISOString();
      return `<entry><title>${title}</title><link href="${link}"/><id>${link}</id><updated>${at}</updated></entry>`;
    })
    .join('\n');
  const hubLink = hub ? `<link rel="hub" href="${hub}"/>` : '';
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Pushed Wire</title>${hubLink}<link rel="self" href="${selfUrl}"/>
${entries}
</feed>`;
}

export interface PushRig {
  hub: TestHub;
  feeds: FeedServer;
  feedUrl: string;
  store: MemoryStore;
  server: RunningWebServer;
  worker: WorkerDeps & { push: PushDeps };
  /** Moves the rig's clock (the worker's, the store's and the callback's) forward. */
  advance(ms: number): void;
  now(): Date;
  /** Polls the feed as a worker would once it is due (the clock moves to its due time if that is later). */
  poll(): Promise<PollOutcome>;
  pushState(): Promise<PushState | undefined>;
  feedState(): Promise<FeedState | undefined>;
  /** The analyst's pending hits, by title. */
  hitTitles(): Promise<string[]>;
  pendingHits(): Promise<Hit[]>;
  close(): Promise<void>;
}

export async function startPushRig(options: { manualVerification?: boolean; maxPushesPerMinute?: number } = {}): Promise<PushRig> {
  const hub = await startTestHub(options);
  const feeds = await startFeedServer();
  const feedUrl = feeds.url('/feed.xml');
  feeds.route('/feed.xml', { body: atomFeed(feedUrl, hub.url, ['JAXA first report']), headers: { 'content-type': 'application/atom+xml' } });
  let offset = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offset) };
  const store = new MemoryStore(clock);
  const config = testConfig({
    feeds: [{ url: feedUrl }],
    topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
    subscribers: [{ email: ANALYST, topics: ['jaxa'] }],
    mail: { from: 'alerts@example.com' },
  });
  const live = new LiveConfigCache(store, config);
  const base: WorkerDeps = { store, fetcher: new HttpFeedFetcher(), config, live, clock, log: silentLog };
  let callbackDeps: CallbackDeps | undefined;
  const route = (req: Parameters<ReturnType<typeof websubRoute>>[0]) => websubRoute(callbackDeps as CallbackDeps)(req);
  const server = await startWebServer(
    (url) => ({ config, store, mailer: new RecordingMailer(), tokenKey: 'test-key', publicUrl: url, clock, recentStories: new RecentStoryCache(store, clock) }),
    { port: 0, websub: { handle: route, maxBodyBytes: config.fetch.maxBytes } },
  );
  const push: PushDeps = {
    store,
    hub: new HttpHubClient(),
    callbackBase: `${server.url}/websub`,
    request: { timeoutMs: 5_000, allowPrivateNetworks: true },
    clock,
    log: silentLog,
  };
  const worker = { ...base, push };
  callbackDeps = {
    store,
    clock,
    log: silentLog,
    maxBodyBytes: config.fetch.maxBytes,
    ...(options.maxPushesPerMinute ? { maxPushesPerMinute: options.maxPushesPerMinute } : {}),
    absorb: pushAbsorber(base, (bytes, contentType) => decodeFeedBody(bytes, contentType).text),
  };
  const feedState = async () => (await store.getFeedStates([feedUrl])).get(feedUrl);
  const pendingHits = () => store.pendingHits(subscriberId(ANALYST));
  return {
    hub,
    feeds,
    feedUrl,
    store,
    server,
    worker,
    advance: (ms) => (offset += ms),
    now: () => clock.now(),
    poll: async () => {
      const due = (await feedState())?.nextDueAt;
      if (due && Date.parse(due) > clock.now().getTime()) offset += Date.parse(due) - clock.now().getTime();
      return pollOneFeed(worker, { feedUrl, dueAt: clock.now().toISOString() });
    },
    pushState: async () => (await store.getPushStates([feedUrl])).get(feedUrl),
    feedState,
    pendingHits,
    hitTitles: async () => (await pendingHits()).map((h) => h.title).sort(),
    close: async () => {
      await server.close();
      await hub.close();
      await feeds.close();
    },
  };
}
