import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboxMailer } from '../../lambda/adapters/mail/outbox-mailer.ts';
import { attachRequestCounter } from '../../lambda/adapters/dynamodb/request-counter.ts';
import { runCycle, SKIPPED_LOCKED } from '../../lambda/app/run-cycle.ts';
import { SesMailer } from '../../lambda/adapters/mail/ses-mailer.ts';
import { deliveryIdOf, IN_FLIGHT_DIGEST } from '../../lambda/app/send-digests.ts';
import type { DigestRecord, DigestState } from '../../lambda/core/domain/digest-record.ts';
import { startSesEmulator, type SesEmulator } from '../support/ses-emulator.ts';
import { SESClient } from '@aws-sdk/client-ses';
import { digestId } from '../../lambda/core/digest/digest-id.ts';
import { subscriberId } from '../../lambda/core/ids/subscriber-id.ts';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { rss } from '../e2e/support/rss.ts';
import { openWorkspace, testConfig, type Workspace } from './support.ts';

// runCycle in-process over real parts: a local feed server, the embedded store, the outbox mailer.

const EMAIL = 'analyst@example.com';
const item = (n: number) => ({
  title: `JAXA incident ${n}`,
  link: `https://news.example/jaxa-${n}`,
  description: `Incident ${n} at JAXA.`,
  pubDate: new Date('2026-03-02T00:00:00Z'),
});
const emlCount = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')).length : 0);

describe('runCycle', () => {
  let server: FeedServer;
  let ws: Workspace;
  let config: ReturnType<typeof testConfig>;
  /** The in-flight marker a cycle that died at `state` leaves for the subscriber's pending stories. */
  const plantMarker = async (state: DigestState): Promise<DigestRecord> => {
    const id = subscriberId(EMAIL);
    const keys = (await ws.opened.store.pendingHits(id)).map((h) => h.storyKey).sort();
    const marker: DigestRecord = {
      subscriberId: id,
      digestId: IN_FLIGHT_DIGEST,
      carries: digestId(id, 'immediate', keys),
      state,
      storyKeys: keys,
      claimedAt: '2026-03-02T01:05:00.000Z',
      owner: 'a-cycle-that-died',
      ...(state === 'sending' ? { attemptedAt: '2026-03-02T01:05:01.000Z' } : {}),
      expiresAt: Math.floor(Date.parse('2026-06-01T00:00:00Z') / 1000),
    };
    await ws.opened.store.claimDigest(marker);
    return marker;
  };

  beforeAll(async () => {
    server = await startFeedServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(async () => {
    server.route('/feed.xml', { body: rss('Wire', [item(1), item(2)]), etag: '"v1"', delayMs: 200 });
    ws = await openWorkspace();
    config = testConfig({
      feeds: [{ url: server.url('/feed.xml') }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      subscribers: [{ email: EMAIL, topics: ['jaxa'] }],
      mail: { from: 'alerts@example.com' },
    });
  });
  afterEach(async () => {
    await ws?.close();
  });

  it('runs one of two concurrent cycles and skips the other, sending once', async () => {
    // Act
    const reports = await Promise.all([runCycle(ws.deps(config, '2026-03-02T01:00:00Z')), runCycle(ws.deps(config, '2026-03-02T01:00:00Z'))]);
    // Assess
    expect(reports.map((r) => (r.skipped?.startsWith(SKIPPED_LOCKED) ? 'skipped' : r.skipped ?? 'ran')).sort()).toEqual(['ran', 'skipped']);
    expect(emlCount(ws.outbox)).toBe(1);
  });

  it('writes for a feed answering 304 only its next due time, beside taking and releasing the two leases', async () => {
    // Prepare
    await runCycle(ws.deps(config, '2026-03-02T01:00:00Z'));
    const counter = attachRequestCounter(ws.opened.client);
    // Act
    const report = await runCycle(ws.deps(config, '2026-03-02T01:10:00Z'));
    // Assess
    expect(report.feeds[0]!.status).toBe('304');
    const counts = counter.counts();
    const writes = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'].reduce((n, op) => n + (counts[op] ?? 0), 0);
    // The cycle's and the sender's lease: a put and a delete each; the feed: one put (next due time).
    expect(writes).toBe(5);
    expect(counts.PutItem).toBe(3);
    expect(counts.DeleteItem).toBe(2);
    const state = (await ws.opened.store.getFeedStates([server.url('/feed.xml')])).get(server.url('/feed.xml'));
    expect(state?.nextDueAt).toBe('2026-03-02T01:20:00.000Z');
  });

  it('keeps a failed send pending, then sends it', async () => {
    // Act
    const failed = await runCycle(ws.deps(config, '2026-03-02T01:00:00Z', new OutboxMailer(ws.blockedOutbox)));
    const retried = await runCycle(ws.deps(config, '2026-03-02T01:10:00Z'));
    // Assess
    expect(failed.sendFailures).toHaveLength(1);
    expect(failed.emails).toHaveLength(0);
    expect(retried.emails).toEqual([expect.objectContaining({ to: EMAIL, items: 2 })]);
    expect(await ws.opened.store.pendingHits(subscriberId(EMAIL))).toEqual([]);
  });

  it('sends a digest that a dead cycle claimed but never started sending', async () => {
    // Prepare: a failed send leaves stories 1 and 2 pending; the marker stands in for a cycle that
    // died after claiming them, before handing anything to the mailer.
    await runCycle(ws.deps(config, '2026-03-02T01:00:00Z', new OutboxMailer(ws.blockedOutbox)));
    await plantMarker('claimed');
    // Act
    const report = await runCycle(ws.deps(config, '2026-03-02T01:10:00Z'));
    // Assess
    expect(report.emails).toEqual([expect.objectContaining({ to: EMAIL, items: 2 })]);
    expect(report.repairs).toEqual([expect.objectContaining({ action: 'resumed' })]);
    expect(emlCount(ws.outbox)).toBe(1);
    expect(await ws.opened.store.pendingHits(subscriberId(EMAIL))).toEqual([]);
    expect(await ws.opened.store.getDigest(subscriberId(EMAIL), IN_FLIGHT_DIGEST)).toBeUndefined();
  });

  it('writes an interrupted outbox send once: not again when its file is there', async () => {
    // Prepare: the dead cycle got as far as writing the .eml.
    await runCycle(ws.deps(config, '2026-03-02T01:00:00Z', new OutboxMailer(ws.blockedOutbox)));
    const marker = await plantMarker('sending');
    const content = { subject: 'already delivered', text: 'already delivered', html: '<p>already delivered</p>', headers: {} };
    await new OutboxMailer(ws.outbox).send({ from: 'alerts@example.com', to: EMAIL, date: new Date('2026-03-02T01:05:01Z'), content, deliveryId: deliveryIdOf(marker) });
    // Act
    const report = await runCycle(ws.deps(config, '2026-03-02T01:10:00Z'));
    // Assess
    expect(emlCount(ws.outbox)).toBe(1);
    expect((await simpleParser(readFileSync(join(ws.outbox, `${deliveryIdOf(marker)}.eml`)))).subject).toBe('already delivered');
    expect(report.repairs).toEqual([expect.objectContaining({ action: 'resumed' })]);
    expect(await ws.opened.store.pendingHits(subscriberId(EMAIL))).toEqual([]);
  });

  it('writes an interrupted outbox send that never reached the outbox, leaving no partial file behind', async () => {
    // Prepare: the dead cycle was killed while writing the file.
    await runCycle(ws.deps(config, '2026-03-02T01:00:00Z', new OutboxMailer(ws.blockedOutbox)));
    const marker = await plantMarker('sending');
    mkdirSync(ws.outbox, { recursive: true });
    writeFileSync(join(ws.outbox, `.${deliveryIdOf(marker)}.eml.tmp`), 'half an em');
    // Act
    await runCycle(ws.deps(config, '2026-03-02T01:10:00Z'));
    // Assess
    expect(readdirSync(ws.outbox)).toEqual([`${deliveryIdOf(marker)}.eml`]);
    expect(await ws.opened.store.pendingHits(subscriberId(EMAIL))).toEqual([]);
  });

  it('only finishes the bookkeeping of a digest whose send was recorded', async () => {
    // Prepare: the dead cycle recorded the digest as sent, then died before marking its hits.
    await runCycle(ws.deps(config, '2026-03-02T01:00:00Z', new OutboxMailer(ws.blockedOutbox)));
    const marker = await plantMarker('sending');
    await ws.opened.store.recordSentDigest({ ...marker, digestId: marker.carries!, state: 'sent', sentAt: '2026-03-02T01:05:02.000Z', messageId: 'm-1' });
    // Act
    const report = await runCycle(ws.deps(config, '2026-03-02T01:10:00Z'));
    // Assess
    expect(report.emails).toEqual([]);
    expect(report.repairs).toEqual([expect.objectContaining({ action: 'completed' })]);
    expect(emlCount(ws.outbox)).toBe(0);
    expect(await ws.opened.store.pendingHits(subscriberId(EMAIL))).toEqual([]);
  });

  describe('with SES, which cannot say whether an interrupted send went out', () => {
    let ses: SesEmulator;
    beforeAll(async () => {
      ses = await startSesEmulator();
    });
    afterAll(async () => {
      await ses?.stop();
    });

    it('treats a send interrupted inside SendRawEmail as sent (at most once), and sends newer stories', async () => {
      // Prepare
      await runCycle(ws.deps(config, '2026-03-02T01:00:00Z', new OutboxMailer(ws.blockedOutbox)));
      await plantMarker('sending');
      server.route('/feed.xml', { body: rss('Wire', [item(3), item(1), item(2)]), etag: '"v2"' });
      const mailer = new SesMailer({ client: new SESClient({ endpoint: ses.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }) });
      // Act
      const report = await runCycle(ws.deps(config, '2026-03-02T01:10:00Z', mailer));
      // Assess
      expect(report.repairs).toEqual([expect.objectContaining({ action: 'marked-sent' })]);
      expect(report.emails).toEqual([expect.objectContaining({ items: 1 })]);
      const texts = (await ses.emails()).map((e) => e.body.text ?? '');
      expect(texts).toHaveLength(1);
      expect(texts[0]).toContain('incident 3');
      expect(texts[0]).not.toMatch(/incident [12]\b/);
      expect(await ws.opened.store.pendingHits(subscriberId(EMAIL))).toEqual([]);
    });
  });

  it('sends the oldest stories first, at most mail.maxStoriesPerDigest per email, saying how many wait', async () => {
    // Prepare
    const many = Array.from({ length: 7 }, (_, i) => item(i + 1));
    server.route('/feed.xml', { body: rss('Wire', many), etag: '"many"' });
    const capped = testConfig({
      feeds: [{ url: server.url('/feed.xml') }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      subscribers: [{ email: EMAIL, topics: ['jaxa'], frequency: 'hourly' }],
      mail: { from: 'alerts@example.com', maxStoriesPerDigest: 3 },
    });
    // Act: the hour's digest, then the cycles right after it.
    const first = await runCycle(ws.deps(capped, '2026-03-02T01:00:00Z'));
    const second = await runCycle(ws.deps(capped, '2026-03-02T01:10:00Z'));
    const third = await runCycle(ws.deps(capped, '2026-03-02T01:20:00Z'));
    const fourth = await runCycle(ws.deps(capped, '2026-03-02T01:30:00Z'));
    // Assess
    expect([first, second, third, fourth].map((r) => r.emails.map((e) => e.items))).toEqual([[3], [3], [1], []]);
    const mails = await Promise.all(readdirSync(ws.outbox).filter((f) => f.endsWith('.eml')).sort().map(async (f) => simpleParser(readFileSync(join(ws.outbox, f)))));
    expect(mails.map((m) => m.headers.get('x-newshound-items'))).toEqual(['3', '3', '1']);
    expect(mails[0]!.text).toContain('4 more stories are waiting; they follow in the next digest.');
    expect(mails[1]!.text).toContain('1 more story is waiting; it follows in the next digest.');
    expect(mails[2]!.text).not.toContain('waiting');
    const delivered = mails.flatMap((m) => [...(m.text ?? '').matchAll(/incident (\d)\b/g)].map((x) => x[1])).sort();
    expect(delivered).toEqual(['1', '2', '3', '4', '5', '6', '7']);
  });

  it('mails a story carried by two feeds in one cycle once, naming the other feed', async () => {
    // Prepare
    server.route('/other.xml', { body: rss('Other Wire', [{ ...item(1), link: 'https://news.example/jaxa-1?utm_source=other' }]) });
    const twoFeeds = testConfig({
      feeds: [{ url: server.url('/feed.xml'), name: 'Wire' }, { url: server.url('/other.xml'), name: 'Other Wire' }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      subscribers: [{ email: EMAIL, topics: ['jaxa'] }],
      mail: { from: 'alerts@example.com' },
    });
    // Act
    const report = await runCycle(ws.deps(twoFeeds, '2026-03-02T01:00:00Z'));
    // Assess
    expect(report.totals).toMatchObject({ new: 2, hits: 2 });
    expect(report.emails).toEqual([expect.objectContaining({ items: 2 })]);
    const [file] = readdirSync(ws.outbox).filter((f) => f.endsWith('.eml'));
    const mail = await simpleParser(readFileSync(join(ws.outbox, file!)));
    const text = mail.text ?? '';
    expect(text.match(/incident 1\b/g)).toHaveLength(1);
    expect(text).toMatch(/Also in: (Other Wire|Wire)\b/);
  });

  it('finishes the hits of a story an interrupted cycle recorded but never matched', async () => {
    // Prepare: an earlier cycle recorded story 1 from this feed, then stopped before its hits and
    // the feed's state were written.
    await ws.opened.store.recordStory({
      key: 'https://news.example/jaxa-1',
      title: 'JAXA incident 1',
      url: 'https://news.example/jaxa-1',
      firstSeenAt: '2026-03-02T00:55:00Z',
      sources: ['Wire'],
      expiresAt: Math.floor(Date.parse('2026-06-01T00:00:00Z') / 1000),
    });
    // Act
    const report = await runCycle(ws.deps(config, '2026-03-02T01:00:00Z'));
    // Assess
    expect(report.emails).toEqual([expect.objectContaining({ items: 2 })]);
    const [file] = readdirSync(ws.outbox).filter((f) => f.endsWith('.eml'));
    const mail = await simpleParser(readFileSync(join(ws.outbox, file!)));
    expect(mail.text).toContain('«JAXA» incident 1');
    expect(mail.text).toContain('«JAXA» incident 2');
  });

  it('does not resubscribe a config subscriber who unsubscribed', async () => {
    // Prepare
    await runCycle(ws.deps(config, '2026-03-02T01:00:00Z'));
    const id = subscriberId(EMAIL);
    // As the API's one-click unsubscribe records it for a config-file address.
    const at = '2026-03-02T01:05:00.000Z';
    await ws.opened.store.putSubscriber({ id, email: EMAIL, topics: ['jaxa'], frequency: 'immediate', timezone: 'UTC', status: 'unsubscribed', source: 'config', createdAt: at, updatedAt: at });
    server.route('/feed.xml', { body: rss('Wire', [item(3), item(1), item(2)]), etag: '"v2"' });
    // Act
    const report = await runCycle(ws.deps(config, '2026-03-02T01:10:00Z'));
    // Assess
    expect(report.feeds[0]).toMatchObject({ status: '200', new: 1, matched: 1, hits: 0 });
    expect(report.emails).toHaveLength(0);
    expect((await ws.opened.store.getSubscriber(id))?.status).toBe('unsubscribed');
  });

  it('mails config-file subscribers without ever writing a subscriber profile', async () => {
    // Act
    const report = await runCycle(ws.deps(config, '2026-03-02T01:00:00Z'));
    // Assess
    expect(report.emails).toEqual([expect.objectContaining({ to: EMAIL, items: 2 })]);
    expect(await ws.opened.store.listSubscribers()).toEqual([]);
  });

  it('skips a config-file subscriber whose address bounced, and keeps mailing the others', async () => {
    // Prepare
    const other = 'other@example.com';
    const two = testConfig({
      feeds: [{ url: server.url('/feed.xml') }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      subscribers: [{ email: EMAIL, topics: ['jaxa'] }, { email: other, topics: ['jaxa'] }],
      mail: { from: 'alerts@example.com' },
    });
    await ws.opened.store.suppress({ subscriberId: subscriberId(EMAIL), email: EMAIL, reason: 'bounce: Permanent/General', at: '2026-03-02T00:30:00.000Z' });
    // Act
    const report = await runCycle(ws.deps(two, '2026-03-02T01:00:00Z'));
    // Assess
    expect(report.emails.map((e) => e.to)).toEqual([other]);
    expect(report.totals.hits).toBe(2);
    expect(await ws.opened.store.pendingHits(subscriberId(EMAIL))).toEqual([]);
  });
});
