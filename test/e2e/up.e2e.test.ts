import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { runCli, startCli } from './support/cli.ts';
import { writeConfig } from './support/config.ts';
import { plainText, readOutbox } from './support/outbox.ts';
import { rss } from './support/rss.ts';

// `newshound up` as a user runs it, with other commands beside it in another terminal: a feed added
// with `feeds add` is polled at the next dispatch; `feeds` and `subscribers` answer at once.

const waitFor = async (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

describe('newshound up', () => {
  let server: FeedServer;
  let dir: string;
  beforeAll(async () => {
    server = await startFeedServer({
      '/first.xml': { body: rss('First Wire', [{ title: 'JAXA intrusion disclosed', link: 'https://news.example/first', pubDate: new Date() }]) },
      '/added.xml': { body: rss('Added Wire', [{ title: 'JAXA systems restored', link: 'https://news.example/added', pubDate: new Date() }]) },
    });
    dir = mkdtempSync(join(tmpdir(), 'newshound-up-'));
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('polls a feed added with `feeds add` at its next dispatch, while other commands share its store', async () => {
    // Prepare
    const config = writeConfig(join(dir, 'newshound.yaml'), {
      feeds: [{ url: server.url('/first.xml') }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      subscribers: [{ email: 'analyst@example.com', topics: ['jaxa'] }],
      mail: { from: 'alerts@example.com' },
    });
    const common = ['--config', config, '--data', join(dir, 'data')];
    const outbox = join(dir, 'outbox');
    const up = startCli(['up', ...common, '--outbox', outbox, '--port', '0', '--tick', '1']);
    try {
      await up.waitForOutput(/pages at http:\/\/127\.0\.0\.1:\d+\//);
      await waitFor('the first feed\'s digest', async () => (await readOutbox(outbox)).length === 1);
      // Act
      const added = await runCli(['feeds', 'add', server.url('/added.xml'), '--name', 'Added Wire', ...common]);
      await waitFor('the added feed\'s digest', async () => (await readOutbox(outbox)).length === 2);
      const feeds = await runCli(['feeds', ...common]);
      const subscribers = await runCli(['subscribers', 'list', ...common]);
      // Assess
      expect(added.code, added.stderr).toBe(0);
      expect(added.stdout).toContain('it is polled at the next dispatch');
      const texts = (await readOutbox(outbox)).map(plainText);
      expect(texts[0]).toContain('JAXA intrusion disclosed');
      expect(texts[1]).toContain('JAXA systems restored');
      expect(texts[1]).not.toContain('JAXA intrusion disclosed');
      expect(feeds.code, feeds.stderr).toBe(0);
      expect(feeds.stdout).toContain('Added Wire');
      expect(feeds.stdout).toMatch(/polled every \d+ minutes: no history yet/);
      expect(subscribers.code, subscribers.stderr).toBe(0);
      expect(subscribers.stdout).toContain('analyst@example.com');
      expect(server.count('/added.xml')).toBe(1);
    } finally {
      up.signal('SIGTERM');
    }
    const result = await up.done;
    expect(result.code, result.stderr).toBe(0);
  });

  it('mails a fast feed\'s story while a slow feed beside it is still being fetched', async () => {
    // Prepare: the slow feed answers after 8 s; the fast one at once.
    let slowAnswered = false;
    server.route('/slow.xml', () => {
      setTimeout(() => (slowAnswered = true), 8_000);
      return { body: rss('Slow Wire', [{ title: 'JAXA slow report', link: 'https://news.example/slow', pubDate: new Date() }]), delayMs: 8_000 };
    });
    server.route('/fast.xml', { body: rss('Fast Wire', [{ title: 'JAXA fast report', link: 'https://news.example/fast', pubDate: new Date() }]) });
    const config = writeConfig(join(dir, 'slow-fast.yaml'), {
      feeds: [{ url: server.url('/slow.xml') }, { url: server.url('/fast.xml') }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      subscribers: [{ email: 'analyst@example.com', topics: ['jaxa'] }],
      mail: { from: 'alerts@example.com' },
      fetch: { timeoutSeconds: 20 },
    });
    const outbox = join(dir, 'slow-fast-outbox');
    const up = startCli(['up', '--config', config, '--data', join(dir, 'slow-fast-data'), '--outbox', outbox, '--port', '0', '--tick', '1']);
    try {
      // Act
      await waitFor('the fast feed\'s digest', async () => (await readOutbox(outbox)).length === 1);
      const answeredBeforeDigest = slowAnswered;
      await waitFor('the slow feed\'s digest', async () => (await readOutbox(outbox)).length === 2);
      // Assess
      expect(answeredBeforeDigest).toBe(false);
      const texts = (await readOutbox(outbox)).map(plainText);
      expect(texts[0]).toContain('JAXA fast report');
      expect(texts[0]).not.toContain('JAXA slow report');
      expect(texts[1]).toContain('JAXA slow report');
    } finally {
      up.signal('SIGTERM');
    }
    expect((await up.done).code).toBe(0);
  });

  it('mails an immediate subscriber\'s story as soon as it is polled, not at the next tick', async () => {
    // Prepare: a tick of an hour, so only the early send can deliver within the test.
    server.route('/early.xml', { body: rss('Early Wire', [{ title: 'JAXA early report', link: 'https://news.example/early', pubDate: new Date() }]) });
    const config = writeConfig(join(dir, 'early.yaml'), {
      feeds: [{ url: server.url('/early.xml') }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      subscribers: [{ email: 'analyst@example.com', topics: ['jaxa'] }],
      mail: { from: 'alerts@example.com' },
    });
    const outbox = join(dir, 'early-outbox');
    const up = startCli(['up', '--config', config, '--data', join(dir, 'early-data'), '--outbox', outbox, '--port', '0', '--tick', '3600']);
    try {
      // Act
      await waitFor('the digest', async () => (await readOutbox(outbox)).length === 1);
      // Assess
      expect((await readOutbox(outbox)).map(plainText).join('\n')).toContain('JAXA early report');
    } finally {
      up.signal('SIGTERM');
    }
    expect((await up.done).code).toBe(0);
  });
});
