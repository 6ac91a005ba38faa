import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { startCli, type RunningCli } from './support/cli.ts';
import { writeConfig } from './support/config.ts';
import { plainText, readOutbox } from './support/outbox.ts';
import { rss, type RssItem } from './support/rss.ts';

// `newshound watch` as a user runs it (`up` without the pages): the real CLI in a child process, a
// local feed server, the embedded store and the outbox. `--tick 1` makes the dispatcher and the
// sender run every second instead of every minute; each feed still waits its own interval.

const jaxa: RssItem = { title: 'JAXA breach', link: 'https://news.example/jaxa', description: 'JAXA was breached.' };

describe('newshound watch', () => {
  let server: FeedServer;
  let dir: string;

  beforeAll(async () => {
    server = await startFeedServer();
    dir = mkdtempSync(join(tmpdir(), 'newshound-watch-'));
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const setUp = (name: string, path: string) => {
    const config = writeConfig(join(dir, `${name}.yaml`), {
      feeds: [{ url: server.url(path) }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      subscribers: [{ email: 'analyst@example.com', topics: ['jaxa'] }],
      mail: { from: 'alerts@example.com' },
    });
    const outbox = join(dir, `${name}-outbox`);
    return { outbox, args: ['watch', '--tick', '1', '--config', config, '--data', join(dir, `${name}-data`), '--outbox', outbox] };
  };

  it('polls a feed, mails its story, leaves the feed alone until its interval is up, and stops on SIGTERM', async () => {
    // Prepare
    server.route('/wire.xml', { body: rss('Wire', [jaxa]) });
    const { outbox, args } = setUp('interval', '/wire.xml');
    // Act: several ticks pass after the first poll.
    const watch = startCli(args);
    await watch.waitForOutput(/Sent 1 story to analyst@example\.com/);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    watch.signal('SIGTERM');
    const result = await watch.done;
    // Assess: one poll (the next is due in schedule.pollMinutes), one digest, a clean exit.
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Newshound watch: dispatching due feeds and sending due digests every 1 s with 8 workers; Ctrl-C to stop\.$/m);
    expect(result.stdout).not.toContain('pages at');
    expect(result.stderr).toContain('SIGTERM received');
    expect(server.count('/wire.xml')).toBe(1);
    const emails = await readOutbox(outbox);
    expect(emails).toHaveLength(1);
    expect(plainText(emails[0]!)).toContain(jaxa.title);
  });

  it('on SIGINT during a poll, finishes it, mails its digest and exits 0', async () => {
    // Prepare: the feed answers a second after the request, and the signal arrives in that second.
    let watch: RunningCli | undefined;
    server.route('/slow.xml', () => {
      watch?.signal('SIGINT');
      return { body: rss('Wire', [jaxa]), delayMs: 1_000 };
    });
    const { outbox, args } = setUp('interrupt', '/slow.xml');
    // Act
    watch = startCli(args);
    const result = await watch.done;
    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('SIGINT received; stopping after the work in hand');
    expect(result.stdout).toContain('Sent 1 story to analyst@example.com');
    expect(server.count('/slow.xml')).toBe(1);
    expect(await readOutbox(outbox)).toHaveLength(1);
  });
});
