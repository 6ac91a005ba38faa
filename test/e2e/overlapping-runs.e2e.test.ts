import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDbLocal, type DynamoDbLocal } from '../support/dynamodb-local.ts';
import { hasJava, skipLine } from '../support/env.ts';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { runCli } from './support/cli.ts';
import { writeConfig } from './support/config.ts';
import { plainText, readOutbox } from './support/outbox.ts';
import { rss, type RssItem } from './support/rss.ts';

// Two `newshound run` processes started at the same moment against one store: each story is mailed
// once. They really overlap (a slow feed keeps the first one's cycle busy): the second is told that
// another cycle is running and exits 75 having done nothing, on the embedded engine (where it is a
// guest of the first process's data directory) and on a shared table (DynamoDB Local) alike.

const story = (n: number): RssItem => ({
  title: `JAXA incident report ${n}`,
  link: `https://news.example/incident-${n}`,
  description: `Report ${n} on the JAXA incident.`,
  pubDate: new Date('2026-03-02T00:00:00Z'),
});

describe('two overlapping runs on one embedded data directory', () => {
  let server: FeedServer;
  let dir: string;

  beforeAll(async () => {
    server = await startFeedServer({ '/feed.xml': { body: rss('Slow Wire', [story(1), story(2)]), delayMs: 3000 } });
    dir = mkdtempSync(join(tmpdir(), 'newshound-overlap-embedded-'));
  });

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs one, tells the other a cycle is running, and sends each story once', async () => {
    // Prepare
    const config = writeConfig(join(dir, 'newshound.yaml'), {
      feeds: [{ url: server.url('/feed.xml') }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      subscribers: [{ email: 'analyst@example.com', topics: ['jaxa'] }],
      mail: { from: 'alerts@example.com' },
    });
    const outboxes = [join(dir, 'outbox-1'), join(dir, 'outbox-2')];
    // Act
    const results = await Promise.all(
      outboxes.map((outbox) => runCli(['run', '--config', config, '--data', join(dir, 'data'), '--outbox', outbox, '--now', '2026-03-02T00:10:00Z'])),
    );
    // Assess
    expect(results.map((r) => r.code).sort(), results.map((r) => r.stderr).join('\n')).toEqual([0, 75]);
    expect(results.find((r) => r.code === 75)?.stdout).toContain('skipped: another cycle is running');
    const emails = (await Promise.all(outboxes.map(readOutbox))).flat();
    expect(emails).toHaveLength(1);
    expect(plainText(emails[0]!).match(/JAXA incident report \d/g)?.sort()).toEqual(['JAXA incident report 1', 'JAXA incident report 2']);
  });
});

// Without Java these tests are registered as skipped, so `npm test` counts them (scripts/test.mjs).
if (!hasJava()) skipLine('overlapping-runs e2e not run: java not found (DynamoDB Local needs Java 17)');
describe.skipIf(!hasJava())('two overlapping runs', () => {
  let local: DynamoDbLocal;
  let server: FeedServer;
  let dir: string;
  let config: string;
  const outboxes = () => [join(dir, 'outbox-1'), join(dir, 'outbox-2')];
  const runBoth = (now: string) => {
    const env = local.env('newshound-overlap');
    return Promise.all(
      outboxes().map((outbox, i) =>
        runCli(['run', '--config', config, '--data', join(dir, `data-${i}`), '--outbox', outbox, '--now', now], env),
      ),
    );
  };
  const allEmails = async () => (await Promise.all(outboxes().map(readOutbox))).flat();

  beforeAll(async () => {
    local = await startDynamoDbLocal();
    // A slow feed keeps each cycle (and its lock) busy long enough for the two to overlap.
    server = await startFeedServer({ '/feed.xml': { body: rss('Slow Wire', [story(1), story(2)]), delayMs: 3000 } });
    dir = mkdtempSync(join(tmpdir(), 'newshound-overlap-'));
    config = writeConfig(join(dir, 'newshound.yaml'), {
      feeds: [{ url: server.url('/feed.xml') }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      subscribers: [{ email: 'analyst@example.com', topics: ['jaxa'] }],
      mail: { from: 'alerts@example.com' },
    });
  });

  afterAll(async () => {
    await server?.close();
    await local?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends each story once, cycle after cycle', async () => {
    // Act
    const first = await runBoth('2026-03-02T00:10:00Z');
    server.route('/feed.xml', { body: rss('Slow Wire', [story(3), story(1), story(2)]), delayMs: 3000 });
    const second = await runBoth('2026-03-02T00:20:00Z');
    // Assess: in each round one ran and the other, overlapping it, was refused the lock.
    for (const round of [first, second]) expect(round.map((r) => r.code).sort(), round.map((r) => r.stderr).join('\n')).toEqual([0, 75]);
    const emails = await allEmails();
    const stories = emails.flatMap((e) => plainText(e).match(/JAXA incident report \d/g) ?? []);
    expect(stories.sort()).toEqual(['JAXA incident report 1', 'JAXA incident report 2', 'JAXA incident report 3']);
    expect(emails).toHaveLength(2);
  });
});
