import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type OpenedStore } from '../../lambda/adapters/dynamodb/open-store.ts';
import { LIVE_CONFIG_VERSION } from '../../lambda/core/ports/version-store.ts';
import { subscriberId } from '../../lambda/core/ids/subscriber-id.ts';
import type { Subscriber } from '../../lambda/core/domain/subscriber.ts';
import { METRICS_NAMESPACE, SERVICE } from '../../lambda/handlers/commons/metric-names.ts';
import { InvalidEventError } from '../../lambda/handlers/commons/parse-event.ts';
import { createSesEventsHandler } from '../../lambda/handlers/ses-events.ts';

// The bounce/complaint handler over the real store on the embedded engine, fed SNS events shaped
// as SES event publishing sends them.

const NOW = new Date('2025-03-01T09:00:00Z');
let dataDir: string;
let opened: OpenedStore;
let handle: ReturnType<typeof createSesEventsHandler>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'newshound-ses-events-'));
  opened = await openStore({ dataDir, env: {} });
  handle = createSesEventsHandler({ store: opened.store, now: () => NOW, logger: new Logger({ logLevel: 'SILENT' }) });
});

afterAll(async () => {
  await opened?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Every item of the table, in a stable order: what "changed nothing" is compared against. */
async function tableItems(): Promise<unknown[]> {
  const out = await opened.client.send(new ScanCommand({ TableName: opened.tableName, ConsistentRead: true }));
  return (out.Items ?? []).map((item) => JSON.stringify(item)).sort();
}

function activeSubscriber(email: string): Subscriber {
  return {
    id: subscriberId(email),
    email,
    topics: ['jaxa'],
    frequency: 'immediate',
    timezone: 'Asia/Tokyo',
    status: 'active',
    source: 'config',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
  };
}

const mail = (to: string) => ({
  timestamp: '2025-03-01T08:59:00.000Z',
  source: 'alerts@example.org',
  messageId: '0100018f-example',
  destination: [to],
});

function snsEvent(...messages: object[]): object {
  return {
    Records: messages.map((message, i) => ({
      EventSource: 'aws:sns',
      Sns: { Type: 'Notification', MessageId: `m-${i}`, TopicArn: 'arn:aws:sns:eu-west-1:123456789012:events', Message: JSON.stringify(message) },
    })),
  };
}

const bounce = (email: string, bounceType: string, status = '5.1.1') => ({
  eventType: 'Bounce',
  bounce: {
    bounceType,
    bounceSubType: bounceType === 'Permanent' ? 'General' : 'MailboxFull',
    bouncedRecipients: [{ emailAddress: email, action: 'failed', status, diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
    timestamp: '2025-03-01T08:59:30.000Z',
    feedbackId: 'feedback-1',
  },
  mail: mail(email),
});

const complaint = (email: string) => ({
  notificationType: 'Complaint',
  complaint: {
    complainedRecipients: [{ emailAddress: email }],
    complaintFeedbackType: 'abuse',
    timestamp: '2025-03-01T08:59:30.000Z',
    feedbackId: 'feedback-2',
  },
  mail: mail(email),
});

describe('ses-events handler', () => {
  it('records a suppression for an address that bounced permanently, leaving the profile untouched', async () => {
    // Prepare
    const subscriber = activeSubscriber('gone@example.net');
    await opened.store.putSubscriber(subscriber);
    // Act
    const result = await handle(snsEvent(bounce('Gone@Example.net', 'Permanent')));
    // Assess
    expect(result).toEqual({ suppressed: 1 });
    expect(await opened.store.getSuppression(subscriber.id)).toEqual({
      subscriberId: subscriber.id,
      email: 'gone@example.net',
      reason: 'bounce: Permanent/General (5.1.1)',
      at: NOW.toISOString(),
    });
    expect(await opened.store.getSubscriber(subscriber.id)).toEqual(subscriber);
  });

  it('records nothing after a transient bounce', async () => {
    const subscriber = activeSubscriber('full@example.net');
    await opened.store.putSubscriber(subscriber);
    const result = await handle(snsEvent(bounce('full@example.net', 'Transient', '4.2.2')));
    expect(result).toEqual({ suppressed: 0 });
    expect(await opened.store.getSuppression(subscriber.id)).toBeUndefined();
  });

  it('suppresses a complaining address the table did not know, without creating a subscriber', async () => {
    const id = subscriberId('stranger@example.net');
    const result = await handle(snsEvent(complaint('Stranger <stranger@example.net>')));
    expect(result).toEqual({ suppressed: 1 });
    expect(await opened.store.getSuppression(id)).toMatchObject({ email: 'stranger@example.net', reason: 'complaint: abuse' });
    expect(await opened.store.getSubscriber(id)).toBeUndefined();
  });

  it('counts an address once when SNS delivers the same notification twice', async () => {
    // Prepare
    await handle(snsEvent(complaint('twice@example.net')));
    const first = await opened.store.getSuppression(subscriberId('twice@example.net'));
    // Act
    const again = await handle(snsEvent(complaint('twice@example.net')));
    // Assess
    expect(again).toEqual({ suppressed: 0 });
    expect(await opened.store.getSuppression(subscriberId('twice@example.net'))).toEqual(first);
  });

  it('moves the live-config counter for a batch that names an address to suppress, so the caches re-read the lists', async () => {
    // Prepare
    const before = await opened.store.getVersion(LIVE_CONFIG_VERSION);
    // Act
    await handle(snsEvent(complaint('counted@example.net')));
    await handle(snsEvent(complaint('counted@example.net')));
    await handle(snsEvent({ eventType: 'Delivery', delivery: {}, mail: mail('counted@example.net') }));
    // Assess: once per complaint batch (a redelivery too: its first bump may have failed), never for a delivery
    expect(await opened.store.getVersion(LIVE_CONFIG_VERSION)).toBe(before + 2);
  });

  it('rejects a bounce without recipients, so Lambda retries it and then parks it in the failure queue', async () => {
    const malformed = { eventType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [] } };
    await expect(handle(snsEvent(malformed))).rejects.toThrow(/bouncedRecipients/);
  });

  it('rejects an event that is not from SNS, naming what it expected', async () => {
    const notSns = handle({ Records: [] });
    await expect(notSns).rejects.toThrow(InvalidEventError);
    await expect(notSns).rejects.toThrow(/^not an SNS event: Records: /);
  });

  it('ignores other SES event types, changing nothing in the store', async () => {
    // Prepare
    await opened.store.putSubscriber(activeSubscriber('x@example.net'));
    const before = await tableItems();
    // Act
    const result = await handle(snsEvent({ eventType: 'Delivery', delivery: {}, mail: mail('x@example.net') }));
    // Assess
    expect(result).toEqual({ suppressed: 0 });
    expect(before.length).toBeGreaterThan(0);
    expect(await tableItems()).toEqual(before);
  });

  it('counts suppressions as a metric only with metrics=full', async () => {
    // Prepare
    const stored = (metrics: Metrics) => (metrics.hasStoredMetrics() ? metrics.serializeMetrics() : undefined);
    const lean = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE.sesEvents });
    const full = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE.sesEvents });
    const quiet = new Logger({ logLevel: 'SILENT' });
    // Act
    await createSesEventsHandler({ store: opened.store, logger: quiet, metrics: lean })(snsEvent(complaint('lean@example.net')));
    await createSesEventsHandler({ store: opened.store, logger: quiet, metrics: full, metricsLevel: 'full' })(snsEvent(complaint('full@example.net')));
    // Assess
    expect(stored(lean)).toBeUndefined();
    expect(stored(full)).toMatchObject({ SubscribersSuppressed: 1, service: SERVICE.sesEvents });
  });
});
