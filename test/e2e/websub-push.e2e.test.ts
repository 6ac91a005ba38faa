import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { startTestHub, type TestHub } from '../support/websub-hub.ts';
import { atomFeed } from '../websub/support.ts';
import { runCli, startCli } from './support/cli.ts';
import { writeConfig } from './support/config.ts';
import { plainText, readOutbox } from './support/outbox.ts';

// Push end to end, as a user runs it: `newshound up` with websub.callbackUrl set subscribes a feed
// that names a hub, the hub verifies intent on up's own server, and a story the hub pushes reaches
// the immediate subscriber's outbox at the next sender tick, with no poll of the feed in between.

const waitFor = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

describe('push through newshound up', () => {
  let hub: TestHub;
  let feeds: FeedServer;
  let dir: string;
  beforeAll(async () => {
    hub = await startTestHub();
    feeds = await startFeedServer();
    dir = mkdtempSync(join(tmpdir(), 'newshound-websub-'));
  });
  afterAll(async () => {
    await hub?.close();
    await feeds?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('mails a pushed story to an immediate subscriber without polling the feed again, and unsubscribes a removed feed', async () => {
    // Prepare: a feed naming the test hub; up's port known in advance, so the callback URL is too.
    const feedUrl = feeds.url('/pushed.xml');
    feeds.route('/pushed.xml', { body: atomFeed(feedUrl, hub.url, ['JAXA first report']), headers: { 'content-type': 'application/atom+xml' } });
    const port = await freePort();
    const config = writeConfig(join(dir, 'newshound.yaml'), {
      feeds: [{ url: feedUrl, name: 'Pushed Wire' }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      subscribers: [{ email: 'analyst@example.com', topics: ['jaxa'], frequency: 'immediate' }],
      mail: { from: 'alerts@example.com' },
      websub: { callbackUrl: `http://127.0.0.1:${port}/websub` },
    });
    const common = ['--config', config, '--data', join(dir, 'data')];
    const outbox = join(dir, 'outbox');
    const up = startCli(['up', ...common, '--outbox', outbox, '--port', String(port), '--tick', '1']);
    try {
      await up.waitForOutput(/Push \(WebSub\): feeds that name a hub are subscribed/);
      await waitFor('the hub to verify the subscription', () => hub.subscriptions.size === 1);
      await waitFor('the polled story\'s digest', async () => (await readOutbox(outbox)).length === 1);
      // Act
      const statuses = await hub.publish(feedUrl, atomFeed(feedUrl, hub.url, ['JAXA pushed report', 'JAXA first report']));
      await waitFor('the pushed story\'s digest', async () => (await readOutbox(outbox)).length === 2);
      const listed = await runCli(['feeds', ...common]);
      const removed = await runCli(['feeds', 'remove', feedUrl, ...common]);
      await hub.settled();
      // Assess
      expect(statuses).toEqual([200]);
      const texts = (await readOutbox(outbox)).map(plainText);
      expect(texts[0]).toContain('JAXA first report');
      expect(texts[1]).toContain('JAXA pushed report');
      expect(texts[1]).not.toContain('JAXA first report');
      expect(feeds.count('/pushed.xml')).toBe(1);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toMatch(/Pushed Wire: push: active until \d{4}-\d\d-\d\d \d\d:\d\dZ/);
      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.stdout).toContain('Push: unsubscribe requested at');
      expect(hub.requests.map((r) => r.mode)).toEqual(['subscribe', 'unsubscribe']);
      expect(hub.verifications.at(-1)).toMatchObject({ mode: 'unsubscribe', echoed: true });
      expect(hub.subscriptions.size).toBe(0);
    } finally {
      up.signal('SIGTERM');
    }
    expect((await up.done).code).toBe(0);
  });
});
