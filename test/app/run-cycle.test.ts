import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboxMailer } from '../../lambda/adapters/mail/outbox-mailer.ts';
import { attachRequestCounter } from '../../lambda/adapters/dynamodb/request-counter.ts';
import { runCycle, SKIPPED_LOCKED } from '../../lambda/app/run-cycle.ts';
import { IN_FLIGHT_DIGEST, SENDING_GRACE_MS } from '../../lambda/app/send-digests.ts';
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
  /** A ledger claim in state `sending`, as a sender (alive or dead) would have left it. */
  const plantClaim = (id: string, digest: string, keys: string[], claimedAt: string) =>
    ws.opened.store.claimDigest({
      subscriberId: id,
      digestId: digest,
      state: 'sending',
      storyKeys: keys,
      claimedAt,
      expiresAt: Math.floor(Date.parse('2026-06-01T00:00:00Z') / 1000),
    });

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
    expect(reports.map((r) => r.skipped ?? 'ran').sort()).toEqual([SKIPPED_LOCKED, 'ran']);
    expect(emlCount(ws.outbox)).toBe(1);
  });

  it('makes no store write for a feed answering 304 beyond taking and releasing the cycle lock', async () => {
    // Prepare
    await runCycle(ws.deps(config, '2026-03-02T01:00:00Z'));
    const counter = attachRequestCounter(ws.opened.client);
    // Act
    const report = await runCycle(ws.deps(config, '2026-03-02T01:10:00Z'));
    // Assess
    expect(report.feeds[0]!.status).toBe('304');
    const counts = counter.counts();
    const writes = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'].reduce((n, op) => n + (counts[op] ?? 0), 0);
    expect(writes).toBe(2);
    expect(counts.PutItem).toBe(1);
    expect(counts.DeleteItem).toBe(1);
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

  it('treats a digest claimed and never confirmed past the grace period as sent (at most once)', async () => {
    // Prepare: a cycle whose send fails leaves two pending hits; a claim for exactly those stories
    // stands in for a sender that died between claiming and marking.
    await runCycle(ws.deps(config, '2026-03-02T01:00:00Z', new OutboxMailer(ws.blockedOutbox)));
    const id = subscriberId(EMAIL);
    const keys = (await ws.opened.store.pendingHits(id)).map((h) => h.storyKey).sort();
    const claimedAt = new Date(Date.parse('2026-03-02T01:10:00Z') - SENDING_GRACE_MS - 60_000).toISOString();
    await ws.opened.store.claimDigest({
      subscriberId: id,
      digestId: digestId(id, 'immediate', keys),
      state: 'sending',
      storyKeys: keys,
      claimedAt,
      expiresAt: Math.floor(Date.parse('2026-06-01T00:00:00Z') / 1000),
    });
    // Act
    const report = await runCycle(ws.deps(config, '2026-03-02T01:10:00Z'));
    // Assess
    expect(report.emails).toHaveLength(0);
    expect(report.repairs).toEqual([expect.objectContaining({ action: 'marked-sent', to: EMAIL })]);
    expect(emlCount(ws.outbox)).toBe(0);
    expect(await ws.opened.store.pendingHits(id)).toEqual([]);
  });

  it('leaves alone a digest another sender claimed moments ago', async () => {
    // Prepare
    await runCycle(ws.deps(config, '2026-03-02T01:00:00Z', new OutboxMailer(ws.blockedOutbox)));
    const id = subscriberId(EMAIL);
    const keys = (await ws.opened.store.pendingHits(id)).map((h) => h.storyKey).sort();
    await plantClaim(id, digestId(id, 'immediate', keys), keys, '2026-03-02T01:09:00Z');
    // Act
    const report = await runCycle(ws.deps(config, '2026-03-02T01:10:00Z'));
    // Assess
    expect(report.emails).toHaveLength(0);
    expect(report.repairs).toEqual([expect.objectContaining({ action: 'left-in-flight' })]);
    expect(await ws.opened.store.pendingHits(id)).toHaveLength(2);
  });

  it('sends only the newer stories when a sender died holding the in-flight marker', async () => {
    // Prepare: a failed send leaves stories 1 and 2 pending; a marker older than the grace period
    // stands in for a sender that died after handing them to the mailer.
    await runCycle(ws.deps(config, '2026-03-02T01:00:00Z', new OutboxMailer(ws.blockedOutbox)));
    const id = subscriberId(EMAIL);
    const keys = (await ws.opened.store.pendingHits(id)).map((h) => h.storyKey).sort();
    await plantClaim(id, IN_FLIGHT_DIGEST, keys, new Date(Date.parse('2026-03-02T01:10:00Z') - SENDING_GRACE_MS - 60_000).toISOString());
    server.route('/feed.xml', { body: rss('Wire', [item(3), item(1), item(2)]), etag: '"v2"' });
    // Act
    const report = await runCycle(ws.deps(config, '2026-03-02T01:10:00Z'));
    // Assess
    expect(report.repairs).toEqual([expect.objectContaining({ action: 'marked-sent' })]);
    expect(report.emails).toEqual([expect.objectContaining({ items: 1 })]);
    const [file] = readdirSync(ws.outbox).filter((f) => f.endsWith('.eml'));
    const text = (await simpleParser(readFileSync(join(ws.outbox, file!)))).text ?? '';
    expect(text).toContain('incident 3');
    expect(text).not.toMatch(/incident [12]\b/);
    expect(await ws.opened.store.getDigest(id, IN_FLIGHT_DIGEST)).toBeUndefined();
  });

  it('waits while another sender holds a fresh in-flight marker', async () => {
    // Prepare
    await runCycle(ws.deps(config, '2026-03-02T01:00:00Z', new OutboxMailer(ws.blockedOutbox)));
    const id = subscriberId(EMAIL);
    const keys = (await ws.opened.store.pendingHits(id)).map((h) => h.storyKey).sort();
    await plantClaim(id, IN_FLIGHT_DIGEST, keys, '2026-03-02T01:09:00Z');
    // Act
    const report = await runCycle(ws.deps(config, '2026-03-02T01:10:00Z'));
    // Assess
    expect(report.emails).toHaveLength(0);
    expect(report.repairs).toEqual([expect.objectContaining({ action: 'left-in-flight' })]);
    expect(await ws.opened.store.pendingHits(id)).toHaveLength(2);
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
