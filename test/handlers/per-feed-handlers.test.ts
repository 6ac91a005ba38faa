import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpFeedFetcher } from '../../lambda/adapters/http/http-feed-fetcher.ts';
import { MemoryStore } from '../../lambda/adapters/memory/memory-store.ts';
import { MemoryQueue } from '../../lambda/adapters/queue/memory-queue.ts';
import { silentLog } from '../../lambda/app/cycle-log.ts';
import { Dispatcher } from '../../lambda/app/dispatch-due.ts';
import { LiveConfigCache } from '../../lambda/app/live-config.ts';
import type { WorkerDeps } from '../../lambda/app/poll-one-feed.ts';
import { parseConfig } from '../../lambda/core/config/parse-config.ts';
import type { Config } from '../../lambda/core/config/schema.ts';
import type { Clock } from '../../lambda/core/ports/clock.ts';
import type { FeedJob } from '../../lambda/core/ports/feed-queue.ts';
import { subscriberId } from '../../lambda/core/ids/subscriber-id.ts';
import { METRICS_NAMESPACE, SERVICE, type MetricsLevel } from '../../lambda/handlers/commons/metric-names.ts';
import { InvalidEventError } from '../../lambda/handlers/commons/parse-event.ts';
import { createDispatchHandler } from '../../lambda/handlers/dispatch.ts';
import { createSenderHandler } from '../../lambda/handlers/sender.ts';
import { createWorkerHandler } from '../../lambda/handlers/worker.ts';
import { stringify } from 'yaml';
import { rss } from '../e2e/support/rss.ts';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { RecordingMailer } from '../support/recording-mailer.ts';

// The dispatch, worker and sender handlers over real services, an in-memory store and queue, and a
// local feed server: the event shapes they accept, what they return to Lambda, and the metrics they
// store (the Lambda wrapper, instrument(), publishes them: test/handlers/powertools.test.ts).

const NOW = new Date('2026-03-02T01:00:00Z');
const clock: Clock = { now: () => NOW };
const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });

/** A store whose reads of one feed's state fail, as DynamoDB does when it throttles or is unreachable. */
class BrokenFeedStore extends MemoryStore {
  constructor(private readonly brokenFeed: string) {
    super(clock);
  }
  override async getFeedStates(feedUrls: string[]) {
    if (feedUrls.includes(this.brokenFeed)) throw Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' });
    return super.getFeedStates(feedUrls);
  }
}

/** An SQS event as Lambda's event source mapping delivers it. */
function sqsEvent(bodies: Array<FeedJob | string>): { Records: object[] } {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `message-${i + 1}`,
      receiptHandle: `receipt-${i + 1}`,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(NOW.getTime()), SenderId: 'AIDA', ApproximateFirstReceiveTimestamp: String(NOW.getTime()) },
      messageAttributes: {},
      md5OfBody: 'x',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:feed-jobs',
      awsRegion: 'eu-west-1',
    })),
  };
}

/** The metric names and values a handler stored. */
const stored = (metrics: Metrics) => {
  if (!metrics.hasStoredMetrics()) return {};
  const emf = metrics.serializeMetrics() as unknown as Record<string, unknown> & { _aws: { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string }> }> } };
  return Object.fromEntries(emf._aws.CloudWatchMetrics[0]!.Metrics.map(({ Name }) => [Name, emf[Name]]));
};

describe('dispatch, worker and sender handlers', () => {
  let server: FeedServer;
  let config: Config;
  let store: MemoryStore;

  beforeAll(async () => {
    server = await startFeedServer({
      '/jaxa.xml': { body: rss('Wire', [{ title: 'JAXA breach', link: 'https://news.example/jaxa', description: 'JAXA was breached.', pubDate: new Date('2026-03-02T00:00:00Z') }]) },
      '/quiet.xml': { body: rss('Quiet', [{ title: 'Weather', link: 'https://news.example/weather', pubDate: new Date('2026-03-02T00:00:00Z') }]) },
    });
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    config = parseConfig(
      stringify({
        feeds: [{ url: server.url('/jaxa.xml') }, { url: server.url('/quiet.xml') }, { url: server.url('/missing.xml') }],
        topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
        subscribers: [{ email: 'analyst@example.com', topics: ['jaxa'] }],
        mail: { from: 'alerts@example.com' },
        fetch: { allowPrivateNetworks: true, timeoutSeconds: 5 },
      }),
      'test.yaml',
    );
    store = new MemoryStore(clock);
  });

  const workerDeps = (over: Partial<WorkerDeps> = {}): WorkerDeps => {
    const s = over.store ?? store;
    return { store: s, fetcher: new HttpFeedFetcher(), config, live: new LiveConfigCache(s, config), clock, log: silentLog, ...over };
  };
  const worker = (options: { metricsLevel?: MetricsLevel; deps?: WorkerDeps } = {}) => {
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE.worker });
    const handler = createWorkerHandler({ workerDeps: async () => options.deps ?? workerDeps(), logger, metrics, metricsLevel: options.metricsLevel ?? 'alarms' });
    return { handler, metrics };
  };
  const jobs = (...paths: string[]): FeedJob[] => paths.map((path) => ({ feedUrl: server.url(path), dueAt: NOW.toISOString() }));

  it('dispatches every configured feed once on the first run (seeded, due now), to the queue', async () => {
    // Prepare
    const queue = new MemoryQueue({ visibilityMs: 60_000, maxReceiveCount: 5 });
    const dispatcher = new Dispatcher({ store, queue, live: new LiveConfigCache(store, config), clock, log: silentLog });
    const handler = createDispatchHandler({ dispatcher: async () => dispatcher, logger });
    // Act
    const result = await handler({ source: 'newshound.schedule', scheduledTime: NOW.toISOString(), executionId: 'e-1' });
    // Assess
    expect(result).toEqual({ dispatched: 3, seeded: 3 });
    expect(queue.receive(10).map((d) => d.job.feedUrl).sort()).toEqual(config.feeds.map((f) => f.url).sort());
  });

  it('refuses an event that is not the scheduler input, dispatching nothing', async () => {
    const handler = createDispatchHandler({ dispatcher: async () => ({ dispatch: async () => ({ dispatched: 1, seeded: 0 }) }), logger });
    await expect(handler('not an event')).rejects.toThrow(InvalidEventError);
    await expect(handler('not an event')).rejects.toThrow(/^not a scheduler event: .*expected object/);
  });

  it('polls each job of a batch; a failing feed is a result, not a failed message', async () => {
    // Act
    const { handler, metrics } = worker();
    const response = await handler(sqsEvent(jobs('/jaxa.xml', '/quiet.xml', '/missing.xml')));
    // Assess: the 404 is recorded in the feed's state and retried on its schedule, not redelivered
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await store.pendingHits(subscriberId('analyst@example.com'))).toHaveLength(1);
    // One value per polled feed: the alarm's Average is the failed share, its SampleCount the polls.
    expect(Object.keys(stored(metrics))).toEqual(['FeedFailurePercent']);
    expect((stored(metrics).FeedFailurePercent as number[]).slice().sort((a, b) => a - b)).toEqual([0, 0, 100]);
  });

  it('fails only the message whose feed met a store error, and one whose body is not a feed job', async () => {
    // Prepare
    const broken = new BrokenFeedStore(server.url('/quiet.xml'));
    const { handler } = worker({ deps: workerDeps({ store: broken, live: new LiveConfigCache(broken, config) }) });
    // Act
    const response = await handler(sqsEvent([...jobs('/jaxa.xml', '/quiet.xml'), '{"feed":"nope"}', 'not json']));
    // Assess
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['message-2', 'message-3', 'message-4']);
  });

  it('skips a redelivered job whose feed was polled since, fetching nothing', async () => {
    // Prepare
    const { handler } = worker();
    await handler(sqsEvent(jobs('/jaxa.xml')));
    const fetched = server.requests.length;
    // Act
    const response = await handler(sqsEvent(jobs('/jaxa.xml')));
    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(server.requests.length).toBe(fetched);
  });

  it('stores every count with metrics=full', async () => {
    const { handler, metrics } = worker({ metricsLevel: 'full' });
    await handler(sqsEvent(jobs('/jaxa.xml', '/missing.xml')));
    expect(stored(metrics)).toMatchObject({ FeedsPolled: 2, FeedsFailed: 1, ItemsSeen: 1, NewItems: 1, Hits: 1 });
  });

  it('refuses an event that is not from SQS, polling nothing', async () => {
    const { handler } = worker();
    await expect(handler({ Records: [{ Sns: { Message: '{}' } }] })).rejects.toThrow(/^not an SQS event: Records\.0\./);
    await expect(handler({ Records: [] })).rejects.toThrow(InvalidEventError);
  });

  it('sends the due digest once, and nothing on the next run', async () => {
    // Prepare: a hit from one worker batch
    await worker().handler(sqsEvent(jobs('/jaxa.xml')));
    const mailer = new RecordingMailer();
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE.sender });
    const senderDeps = { store, mailer, config, clock, tokenKey: 'test-key', log: silentLog, live: new LiveConfigCache(store, config), publicUrl: 'https://api.example.com' };
    const handler = createSenderHandler({ senderDeps: async () => senderDeps, logger, metrics, metricsLevel: 'full' });
    // Act
    const first = await handler({ source: 'newshound.schedule' }, { getRemainingTimeInMillis: () => 60_000 });
    const second = await handler({});
    // Assess
    expect(first).toEqual({ emailsSent: 1, sendFailures: 0, repairs: 0, held: 0 });
    expect(second).toEqual({ emailsSent: 0, sendFailures: 0, repairs: 0, held: 0 });
    expect(mailer.sent.map((m) => m.to)).toEqual(['analyst@example.com']);
    expect(JSON.stringify(first)).not.toContain('analyst@example.com');
    expect(stored(metrics)).toEqual({ EmailsSent: [1, 0], SendFailures: [0, 0] });
  });
});
