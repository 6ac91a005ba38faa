import { SESClient } from '@aws-sdk/client-ses';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesMailer } from '../../lambda/adapters/mail/ses-mailer.ts';
import { METRICS_NAMESPACE, SERVICE, type MetricsLevel } from '../../lambda/handlers/commons/metric-names.ts';
import { InvalidEventError } from '../../lambda/handlers/commons/parse-event.ts';
import { createPollHandler } from '../../lambda/handlers/poll.ts';
import { rss } from '../e2e/support/rss.ts';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { startSesEmulator, type SesEmulator } from '../support/ses-emulator.ts';
import { openWorkspace, testConfig, type Workspace } from './support.ts';

// The poll Lambda handler over real parts: the embedded store, a local feed server, and SES
// SendRawEmail against aws-ses-v2-local.

describe('poll handler', () => {
  let server: FeedServer;
  let ses: SesEmulator;
  let ws: Workspace;

  beforeAll(async () => {
    server = await startFeedServer({
      '/feed.xml': {
        body: rss('Wire', [{ title: 'JAXA breach', link: 'https://news.example/jaxa', description: 'JAXA was breached.', pubDate: new Date('2026-03-02T00:00:00Z') }]),
      },
    });
    ses = await startSesEmulator();
    ws = await openWorkspace();
  });
  afterAll(async () => {
    await server?.close();
    await ses?.stop();
    await ws?.close();
  });

  const handlerFor = (options: { metrics?: Metrics; metricsLevel?: MetricsLevel; feeds?: string[] } = {}) => {
    const { feeds = ['/feed.xml'], ...metrics } = options;
    const config = testConfig({
      feeds: feeds.map((path) => ({ url: server.url(path) })),
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      subscribers: [{ email: 'analyst@example.com', topics: ['jaxa'] }],
      mail: { from: 'alerts@example.com' },
    });
    const client = new SESClient({ endpoint: ses.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const deps = { ...ws.deps(config, '2026-03-02T01:00:00Z'), mailer: new SesMailer({ client }) };
    return createPollHandler({ cycleDeps: async () => deps, publicUrl: 'https://api.example.com/', ...metrics });
  };

  it('refuses an event that is not the scheduler input, fetching nothing', async () => {
    const refused = handlerFor()('not an event');
    await expect(refused).rejects.toThrow(InvalidEventError);
    await expect(refused).rejects.toThrow(/^not a scheduler event: .*expected object/);
    expect(server.requests).toHaveLength(0);
  });

  it('runs a cycle and sends the digest through SES with unsubscribe links on the API URL', async () => {
    // Act
    const summary = await handlerFor()({ source: 'newshound.schedule', scheduledTime: '2026-03-02T01:00:00Z', executionId: 'e-1' });
    // Assess
    expect(summary).toMatchObject({ emailsSent: 1, sendFailures: 0, totals: { feeds: 1, failed: 0, new: 1, hits: 1 } });
    expect(JSON.stringify(summary)).not.toContain('analyst@example.com');
    const emails = await ses.emails();
    expect(emails).toHaveLength(1);
    expect(emails[0]!.destination.to).toEqual(['analyst@example.com']);
    const mail = await simpleParser(ses.rawMessages[0]!);
    expect(mail.subject).toBe('1 new story: JAXA');
    expect(String(mail.headers.get('x-newshound-items'))).toBe('1');
    expect(ses.rawMessages[0]!.toString('utf8').replace(/\r\n[ \t]+/g, ' ')).toMatch(/List-Unsubscribe: <https:\/\/api\.example\.com\/unsubscribe\?token=/);
  });

  /** The metric names and values a handler stored (the Lambda wrapper publishes them after the cycle). */
  const stored = (metrics: Metrics) => {
    const emf = metrics.serializeMetrics() as unknown as Record<string, unknown> & { _aws: { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string }> }> } };
    return Object.fromEntries(emf._aws.CloudWatchMetrics[0]!.Metrics.map(({ Name }) => [Name, emf[Name]]));
  };

  it('stores the failing-feed share as its only metric by default, every count with metrics=full', async () => {
    // Prepare: a fresh store each time, so each cycle finds the story new; one feed of two is missing.
    const results: Array<Record<string, unknown>> = [];
    for (const metricsLevel of ['alarms', 'full'] as const) {
      await ws.close();
      ws = await openWorkspace();
      const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE.poll });
      // Act
      await handlerFor({ metrics, metricsLevel, feeds: ['/feed.xml', '/missing.xml'] })({ source: 'newshound.schedule' });
      results.push(stored(metrics));
    }
    // Assess
    expect(results).toEqual([
      { FeedFailurePercent: 50 },
      { FeedFailurePercent: 50, FeedsPolled: 2, FeedsFailed: 1, ItemsSeen: 1, NewItems: 1, Hits: 1, EmailsSent: 1, SendFailures: 0 },
    ]);
  });
});
