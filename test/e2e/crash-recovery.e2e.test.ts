import { mkdtempSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { ROOT, runCli, startCli } from './support/cli.ts';
import { writeConfig } from './support/config.ts';
import { plainText, readOutbox } from './support/outbox.ts';
import { rss, type RssItem } from './support/rss.ts';

// What a user meets after a run was killed (kill -9, a laptop lid, an OOM) and while two commands
// share one data directory: the next run goes ahead at once, and the pages keep answering.

const story = (n: number): RssItem => ({
  title: `JAXA intrusion update ${n}`,
  link: `https://news.example/jaxa-${n}`,
  description: `Update ${n} on the JAXA intrusion.`,
  pubDate: new Date('2026-03-02T00:00:00Z'),
});

describe('a data directory after a crash, and shared by two commands', () => {
  let server: FeedServer;
  let dir: string;
  let config: string;
  const args = (now: string, outbox = 'outbox') => ['run', '--config', config, '--data', join(dir, 'data'), '--outbox', join(dir, outbox), '--now', now];
  const pollStarted = async () => {
    for (let i = 0; i < 600 && server.count('/feed.xml') === 0; i++) await new Promise((r) => setTimeout(r, 50));
  };

  beforeEach(async () => {
    server = await startFeedServer({ '/feed.xml': { body: rss('Wire', [story(1), story(2)]), delayMs: 4000 } });
    dir = mkdtempSync(join(tmpdir(), 'newshound-crash-'));
    config = writeConfig(join(dir, 'newshound.yaml'), {
      feeds: [{ url: server.url('/feed.xml') }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      subscribers: [{ email: 'analyst@example.com', topics: ['jaxa'] }],
      mail: { from: 'alerts@example.com' },
      fetch: { timeoutSeconds: 10 },
    });
  });
  afterEach(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs at once after a run was killed mid-cycle, saying it took over the dead run\'s lock', async () => {
    // Prepare: a run killed while it polls (it holds the cycle lock and the data directory).
    const killed = startCli(args('2026-03-02T00:10:00Z'));
    await pollStarted();
    killed.signal('SIGKILL');
    await killed.done;
    server.route('/feed.xml', { body: rss('Wire', [story(1), story(2)]) });
    // Act
    const next = await runCli(args('2026-03-02T00:12:00Z'));
    // Assess
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).not.toContain('skipped');
    expect(next.stderr).toMatch(/took over the lock of process \d+ on .*, which is no longer running/);
    const emails = await readOutbox(join(dir, 'outbox'));
    expect(emails).toHaveLength(1);
    expect(plainText(emails[0]!).match(/JAXA intrusion update \d/g)?.sort()).toEqual(['JAXA intrusion update 1', 'JAXA intrusion update 2']);
  });

  it('tells a second run who holds the lock, and exits 75 without doing anything', async () => {
    // Prepare
    const first = startCli(args('2026-03-02T00:10:00Z'));
    await pollStarted();
    // Act
    const second = await runCli(args('2026-03-02T00:10:00Z', 'outbox-2'));
    const firstResult = await first.done;
    // Assess
    expect(second.code).toBe(75);
    expect(second.stdout).toMatch(/skipped: another cycle is running \(process \d+ on .*, since 2026-03-02T00:10:00\.000Z; its lease ends at /);
    expect(firstResult.code, firstResult.stderr).toBe(0);
    expect(await readOutbox(join(dir, 'outbox-2'))).toHaveLength(0);
    expect(await readOutbox(join(dir, 'outbox'))).toHaveLength(1);
  });

  it('keeps the subscription pages and the feeds command answering while a run holds the data directory', async () => {
    // Prepare: serve on the same data directory, then a run that is busy polling a slow feed.
    const serve = spawn(process.execPath, [join(ROOT, 'bin/newshound.mjs'), 'serve', '--port', '0', '--config', config, '--data', join(dir, 'data'), '--outbox', join(dir, 'outbox')], {
      cwd: ROOT,
      env: { ...process.env, NEWSHOUND_TABLE: '', NEWSHOUND_SECRET: 'e2e-test-key' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        serve.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const found = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
          if (found) resolve(found[1]!);
        });
        serve.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      });
      const run = startCli(args('2026-03-02T00:10:00Z'));
      await pollStarted();
      // Act
      const subscribed = await fetch(`${url}/subscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'email=reader%40example.com&topics=jaxa&frequency=daily&timezone=UTC',
      });
      const feeds = await runCli(['feeds', '--config', config, '--data', join(dir, 'data')]);
      const runResult = await run.done;
      // Assess
      expect(subscribed.status).toBe(200);
      expect(feeds.code, feeds.stderr).toBe(0);
      expect(runResult.code, runResult.stderr).toBe(0);
      expect(server.count('/feed.xml')).toBe(1);
    } finally {
      serve.kill('SIGTERM');
      await new Promise((resolve) => serve.once('exit', resolve));
    }
  });
});
