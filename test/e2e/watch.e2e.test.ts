import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { startCli, type RunningCli } from './support/cli.ts';
import { writeConfig } from './support/config.ts';
import { plainText, readOutbox } from './support/outbox.ts';
import { rss, type RssItem } from './support/rss.ts';

// `newshound watch` as a user runs it: the real CLI in a child process, a local feed server, the
// embedded store and the outbox. The shortest schedule is one minute; so that the suite does not
// sleep through it, the child preloads SHORTEN_WAITS, which runs any timer of ten minutes or more
// after 200 ms and says on stderr how long the wait asked for was. Nothing else is changed: the
// cycle, the store and the mail are the real ones.

const SHORTEN_WAITS = `
const realSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = (callback, ms, ...args) => {
  if (typeof ms !== 'number' || ms < 600000) return realSetTimeout(callback, ms, ...args);
  process.stderr.write('test: a wait of ' + ms + ' ms shortened to 200 ms\\n');
  return realSetTimeout(callback, 200, ...args);
};
`;

const jaxa: RssItem = { title: 'JAXA breach', link: 'https://news.example/jaxa', description: 'JAXA was breached.' };
const followUp: RssItem = { title: 'JAXA names the intruders', link: 'https://news.example/jaxa-2', description: 'JAXA blamed Tick.' };

describe('newshound watch', () => {
  let server: FeedServer;
  let dir: string;
  let preload: string;

  beforeAll(async () => {
    server = await startFeedServer();
    dir = mkdtempSync(join(tmpdir(), 'newshound-watch-'));
    preload = join(dir, 'shorten-waits.mjs');
    writeFileSync(preload, SHORTEN_WAITS);
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A config polling `path` every `pollMinutes`, and the CLI's options for a fresh data dir and outbox. */
  const setUp = (name: string, path: string, pollMinutes: number) => {
    const config = writeConfig(join(dir, `${name}.yaml`), {
      feeds: [{ url: server.url(path) }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      subscribers: [{ email: 'analyst@example.com', topics: ['jaxa'] }],
      mail: { from: 'alerts@example.com' },
      schedule: { pollMinutes },
    });
    const outbox = join(dir, `${name}-outbox`);
    return { outbox, args: ['watch', '--config', config, '--data', join(dir, `${name}-data`), '--outbox', outbox] };
  };
  const cycleLines = (stdout: string) => stdout.match(/^Cycle at .*$/gm) ?? [];

  it('runs a cycle, waits the configured interval, runs the next one, and stops on SIGTERM while waiting', async () => {
    // Prepare: the first poll finds one story, every later poll a second one as well.
    server.route('/wire.xml', () => ({ body: rss('Wire', server.count('/wire.xml') <= 1 ? [jaxa] : [followUp, jaxa]) }));
    const { outbox, args } = setUp('interval', '/wire.xml', 30);
    // Act
    const watch = startCli(args, { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(preload).href}` });
    await watch.waitForOutput(/Next cycle at[\s\S]*Next cycle at/);
    watch.signal('SIGTERM');
    const result = await watch.done;
    // Assess: two cycles, 30 minutes apart as scheduled, each mailing what it found new.
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Watching 1 feeds? every 30 min/);
    expect(cycleLines(result.stdout)).toHaveLength(2);
    const waits = [...result.stderr.matchAll(/a wait of (\d+) ms/g)].map((m) => Number(m[1]));
    expect(waits.length).toBeGreaterThanOrEqual(2);
    for (const ms of waits) {
      expect(ms).toBeGreaterThan(29 * 60_000);
      expect(ms).toBeLessThanOrEqual(30 * 60_000);
    }
    expect(result.stderr).toContain('SIGTERM received');
    expect(server.count('/wire.xml')).toBe(2);
    const emails = await readOutbox(outbox);
    expect(emails.map((e) => plainText(e).includes(followUp.title))).toEqual([false, true]);
    expect(plainText(emails[1]!)).not.toContain(jaxa.title);
  });

  it('on SIGINT during a cycle, finishes that cycle, mails its digest and exits 0 without starting another', async () => {
    // Prepare: the feed answers a second after the request, and the signal arrives in that second.
    let watch: RunningCli | undefined;
    server.route('/slow.xml', () => {
      watch?.signal('SIGINT');
      return { body: rss('Wire', [jaxa]), delayMs: 1_000 };
    });
    const { outbox, args } = setUp('interrupt', '/slow.xml', 60);
    // Act
    watch = startCli(args);
    const result = await watch.done;
    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('SIGINT received; stopping after the current cycle');
    expect(cycleLines(result.stdout)).toEqual([expect.stringMatching(/1 feed \(0 failed\), 1 item, 1 new/)]);
    expect(result.stdout).toContain('Emails sent: 1');
    expect(result.stdout).not.toContain('Next cycle at');
    expect(server.count('/slow.xml')).toBe(1);
    expect(await readOutbox(outbox)).toHaveLength(1);
  });
});
