import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpFeedFetcher } from '../../lambda/adapters/http/http-feed-fetcher.ts';
import { MemoryStore } from '../../lambda/adapters/memory/memory-store.ts';
import { MemoryQueue } from '../../lambda/adapters/queue/memory-queue.ts';
import { silentLog } from '../../lambda/app/cycle-log.ts';
import { Dispatcher } from '../../lambda/app/dispatch-due.ts';
import { LiveConfigCache } from '../../lambda/app/live-config.ts';
import { pollOneFeed, type WorkerDeps } from '../../lambda/app/poll-one-feed.ts';
import { sendDue } from '../../lambda/app/send-due.ts';
import type { Mailer, OutgoingMessage } from '../../lambda/core/ports/mailer.ts';
import { subscriberId } from '../../lambda/core/ids/subscriber-id.ts';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { rss } from '../e2e/support/rss.ts';
import { testConfig } from './support.ts';

// Dispatcher → queue → worker → sender over the in-memory store and queue, with real feeds from a
// local server and a mailer that keeps what it was handed: redelivery and crashes mid-feed.

const EMAIL = 'analyst@example.com';
const story = (n: number) => ({ title: `JAXA incident ${n}`, link: `https://news.example/jaxa-${n}`, pubDate: new Date('2026-03-02T00:00:00Z') });

/** Keeps every message; delivers each delivery id once, as the outbox does. */
class KeepingMailer implements Mailer {
  readonly idempotent = true;
  readonly sent: OutgoingMessage[] = [];
  async send(message: OutgoingMessage): Promise<{ messageId: string }> {
    if (!this.sent.some((m) => m.deliveryId === message.deliveryId)) this.sent.push(message);
    return { messageId: message.deliveryId ?? String(this.sent.length) };
  }
  stories(): string[] {
    return this.sent.flatMap((m) => m.content.text.match(/JAXA» incident \d+/g) ?? []).sort();
  }
}

describe('per-feed work: dispatch, queue, workers, sender', () => {
  let server: FeedServer;
  beforeAll(async () => {
    server = await startFeedServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  const setUp = (feeds: string[]) => {
    let now = new Date('2026-03-02T01:00:00Z');
    const clock = { now: () => now };
    const config = testConfig({
      feeds: feeds.map((path) => ({ url: server.url(path) })),
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      subscribers: [{ email: EMAIL, topics: ['jaxa'] }],
      mail: { from: 'alerts@example.com' },
    });
    const store = new MemoryStore(clock);
    const live = new LiveConfigCache(store, config);
    let queueNow = 0;
    const queue = new MemoryQueue({ visibilityMs: 60_000, maxReceiveCount: 5, now: () => queueNow });
    const mailer = new KeepingMailer();
    const worker: WorkerDeps = { store, fetcher: new HttpFeedFetcher(), config, live, clock, log: silentLog };
    const send = () => sendDue({ store, mailer, config, clock, tokenKey: 'k', log: silentLog, live });
    return {
      store,
      queue,
      mailer,
      worker,
      send,
      dispatcher: new Dispatcher({ store, queue, live, clock, log: silentLog }),
      advance: (minutes: number) => {
        now = new Date(now.getTime() + minutes * 60_000);
        queueNow += minutes * 60_000;
      },
    };
  };

  it('polls a feed that was never polled at the first dispatch, and then only when it is due again', async () => {
    // Prepare
    server.route('/a.xml', { body: rss('Wire A', [story(1)]), etag: '"a1"' });
    const t = setUp(['/a.xml']);
    // Act
    const first = await t.dispatcher.dispatch();
    const jobs = t.queue.receive(10);
    for (const job of jobs) await pollOneFeed(t.worker, job.job);
    const again = await t.dispatcher.dispatch();
    t.advance(11);
    const later = await t.dispatcher.dispatch();
    // Assess
    expect(first).toEqual({ dispatched: 1, seeded: 1 });
    expect(again.dispatched).toBe(0);
    expect(later.dispatched).toBe(1);
  });

  it('queues a feed falling due within the next 25 s, and its worker polls it rather than skipping it', async () => {
    // Prepare: polled at 01:00, so due again at 01:10
    server.route('/soon.xml', { body: rss('Soon', [story(9)]), etag: '"s1"' });
    const t = setUp(['/soon.xml']);
    await t.dispatcher.dispatch();
    for (const delivery of t.queue.receive(10)) {
      await pollOneFeed(t.worker, delivery.job);
      t.queue.ack(delivery.id);
    }
    // Act
    t.advance(9.5); // 30 s before it is due
    const tooEarly = await t.dispatcher.dispatch();
    t.advance(0.25); // 15 s before
    const early = await t.dispatcher.dispatch();
    const [job] = t.queue.receive(10);
    const outcome = await pollOneFeed(t.worker, job!.job);
    // Assess
    expect([tooEarly.dispatched, early.dispatched]).toEqual([0, 1]);
    expect('polled' in outcome).toBe(true);
  });

  it('does not queue a feed again while its job waits, and queues it once it is due again', async () => {
    server.route('/backlog.xml', { body: rss('Backlog', [story(8)]), etag: '"b1"' });
    const t = setUp(['/backlog.xml']);
    const first = await t.dispatcher.dispatch();
    t.advance(1);
    const whileWaiting = await t.dispatcher.dispatch();
    const [job] = t.queue.receive(10);
    await pollOneFeed(t.worker, job!.job);
    t.queue.ack(job!.id);
    t.advance(11);
    const dueAgain = await t.dispatcher.dispatch();
    expect([first.dispatched, whileWaiting.dispatched, dueAgain.dispatched]).toEqual([1, 0, 1]);
    expect(t.queue.depth).toBe(1);
  });

  it('skips a duplicated job without fetching: the feed was polled since it was queued', async () => {
    server.route('/dup.xml', { body: rss('Dup', [story(2)]), etag: '"d1"' });
    const t = setUp(['/dup.xml']);
    await t.dispatcher.dispatch();
    const [job] = t.queue.receive(1);
    const before = server.count('/dup.xml');
    const first = await pollOneFeed(t.worker, job!.job);
    const duplicate = await pollOneFeed(t.worker, job!.job);
    expect('polled' in first).toBe(true);
    expect(duplicate).toEqual({ skipped: 'not due (polled since the job was queued)' });
    expect(server.count('/dup.xml')).toBe(before + 1);
  });

  it('mails every story once when a worker dies mid-feed and the job is delivered again', async () => {
    // Prepare: the worker dies right after the first story's hit: nothing it asks of the store
    // afterwards happens (the other hits, the feed's state).
    server.route('/crash.xml', { body: rss('Crashy', [story(3), story(4), story(5)]), etag: '"c1"' });
    const t = setUp(['/crash.xml']);
    await t.dispatcher.dispatch();
    const [first] = t.queue.receive(1);
    let dead = false;
    const dying = new Proxy(t.store, {
      get: (target, name, receiver) => {
        const value = Reflect.get(target, name, receiver);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          if (dead) throw new Error('worker killed');
          const result = await value.apply(target, args);
          if (name === 'putHit') dead = true;
          return result;
        };
      },
    });
    await expect(pollOneFeed({ ...t.worker, store: dying }, first!.job)).rejects.toThrow('worker killed');
    // Act: not acknowledged, the job comes back after the visibility timeout and a healthy worker takes it.
    expect(t.queue.receive(1)).toEqual([]);
    t.advance(2);
    const [redelivered] = t.queue.receive(1);
    await pollOneFeed(t.worker, redelivered!.job);
    t.queue.ack(redelivered!.id);
    await t.send();
    await t.send();
    // Assess
    expect(redelivered!.receiveCount).toBe(2);
    expect(t.mailer.stories()).toEqual(['JAXA» incident 3', 'JAXA» incident 4', 'JAXA» incident 5']);
    expect(await t.store.pendingHits(subscriberId(EMAIL))).toEqual([]);
  });

  it('sends a fast feed\'s digest while a slow feed is still being fetched', async () => {
    // Prepare
    server.route('/fast.xml', { body: rss('Fast', [story(6)]) });
    server.route('/slow.xml', { body: rss('Slow', [story(7)]), delayMs: 3_000 });
    const t = setUp(['/slow.xml', '/fast.xml']);
    await t.dispatcher.dispatch();
    const jobs = t.queue.receive(10);
    // Act: two workers; the sender runs as soon as the fast one is done.
    const polls = jobs.map((job) => pollOneFeed(t.worker, job.job));
    const fast = polls[jobs.findIndex((j) => j.job.feedUrl.endsWith('/fast.xml'))]!;
    await fast;
    await t.send();
    const sentWhileSlow = t.mailer.stories();
    await Promise.all(polls);
    // Assess
    expect(sentWhileSlow).toEqual(['JAXA» incident 6']);
  });
});
