import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { runCli } from './support/cli.ts';
import { writeConfig } from './support/config.ts';
import { plainText, readOutbox } from './support/outbox.ts';
import { rss, type RssItem } from './support/rss.ts';

// Feeds and backlogs bigger than one item of the store could hold: a feed of 5,000 entries (its key
// list alone was over DynamoDB's 400 KB, so its state was never saved and every cycle redid it all),
// and a subscriber with more pending stories than one digest may carry.

const entry = (n: number, topic = 'satellite'): RssItem => ({
  title: `${topic} bulletin ${n}`,
  link: `https://news.example/${topic}/${n}?${'ref=long-tracking-parameter-value&'.repeat(2)}`,
  pubDate: new Date(Date.parse('2026-03-01T00:00:00Z') + n * 1000),
});

describe('big feeds and long backlogs', () => {
  let server: FeedServer;
  let dir: string;
  beforeAll(async () => {
    server = await startFeedServer();
    dir = mkdtempSync(join(tmpdir(), 'newshound-big-'));
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('considers the newest 500 entries of a 5,000-entry feed, saves its state, and costs nothing on the next cycle', async () => {
    // Prepare
    const entries = Array.from({ length: 5000 }, (_, i) => entry(i + 1));
    server.route('/huge.xml', { body: rss('Huge Wire', entries.reverse()), etag: '"huge-1"' });
    const config = writeConfig(join(dir, 'huge.yaml'), {
      feeds: [{ url: server.url('/huge.xml') }],
      topics: [{ id: 'sat', name: 'Satellites', query: '"satellite bulletin 5000" OR "satellite bulletin 4501" OR "satellite bulletin 4500"' }],
      subscribers: [{ email: 'analyst@example.com', topics: ['sat'] }],
      mail: { from: 'alerts@example.com' },
    });
    const args = (now: string) => ['run', '--config', config, '--data', join(dir, 'huge-data'), '--outbox', join(dir, 'huge-outbox'), '--now', now];
    // Act
    const first = await runCli(args('2026-03-02T00:00:00Z'));
    const feeds = await runCli(['feeds', '--config', config, '--data', join(dir, 'huge-data')]);
    const second = await runCli(args('2026-03-02T00:10:00Z'));
    // Assess
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('4500 older entries left out (fetch.maxItemsPerFeed)');
    expect(first.stdout).toMatch(/Huge Wire\s+200\s+5000\s+500\s+2/);
    expect(feeds.stdout).not.toContain('never');
    expect(second.stdout).toMatch(/Huge Wire\s+304/);
    const emails = await readOutbox(join(dir, 'huge-outbox'));
    expect(emails).toHaveLength(1);
    const titles = emails[0]!.mail.subject + plainText(emails[0]!).split('\n').filter((l) => l.startsWith('* ')).join('\n');
    expect(titles.match(/satellite bulletin \d+/g)?.sort()).toEqual(['satellite bulletin 4501', 'satellite bulletin 5000']);
  });

  it('mails a backlog of 250 stories in emails of at most 100, each saying how many wait, every story once', async () => {
    // Prepare: an hourly subscriber whose stories pile up before the hour turns.
    const entries = Array.from({ length: 250 }, (_, i) => entry(i + 1, 'probe'));
    server.route('/backlog.xml', { body: rss('Backlog Wire', entries), etag: '"backlog-1"' });
    const config = writeConfig(join(dir, 'backlog.yaml'), {
      feeds: [{ url: server.url('/backlog.xml') }],
      topics: [{ id: 'probe', name: 'Probes', query: 'probe' }],
      subscribers: [{ email: 'analyst@example.com', topics: ['probe'], frequency: 'hourly' }],
      mail: { from: 'alerts@example.com' },
    });
    const args = (now: string) => ['run', '--config', config, '--data', join(dir, 'backlog-data'), '--outbox', join(dir, 'backlog-outbox'), '--now', now];
    // Act
    const runs = [];
    for (const now of ['2026-03-02T00:30:00Z', '2026-03-02T01:00:00Z', '2026-03-02T01:10:00Z', '2026-03-02T01:20:00Z', '2026-03-02T01:30:00Z']) {
      runs.push(await runCli(args(now)));
    }
    // Assess
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const emails = (await readOutbox(join(dir, 'backlog-outbox'))).sort((a, b) => a.file.localeCompare(b.file));
    expect(emails.map((e) => e.mail.headers.get('x-newshound-items'))).toEqual(['100', '100', '50']);
    expect(plainText(emails[0]!)).toContain('150 more stories are waiting; they follow in the next digest.');
    expect(plainText(emails[1]!)).toContain('50 more stories are waiting');
    const delivered = emails.flatMap((e) => plainText(e).split('\n').filter((l) => l.startsWith('* ')).map((l) => l.slice(2)));
    expect(delivered).toHaveLength(250);
    expect(new Set(delivered).size).toBe(250);
  });
});
