import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { runCli } from './support/cli.ts';
import { writeConfig } from './support/config.ts';
import { plainText, readOutbox } from './support/outbox.ts';
import { rss } from './support/rss.ts';

// A feed whose document breaks near its end still delivers its complete entries, and the operator is
// told it was repaired: in the run summary and by `newshound feeds`.

describe('a feed broken near its end', () => {
  let server: FeedServer;
  let dir: string;
  beforeAll(async () => {
    const whole = rss('Truncated Wire', [
      { title: 'JAXA confirms intrusion', link: 'https://news.example/jaxa-1', pubDate: new Date('2026-03-01T23:00:00Z') },
      { title: 'JAXA reviews its network', link: 'https://news.example/jaxa-2', pubDate: new Date('2026-03-01T22:00:00Z') },
    ]);
    server = await startFeedServer({ '/broken.xml': { body: whole.replace(/<\/rss>\s*$/, '</rss') } });
    dir = mkdtempSync(join(tmpdir(), 'newshound-repaired-'));
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers its complete entries and says in the summary and in `feeds` that it was repaired', async () => {
    // Prepare
    const config = writeConfig(join(dir, 'newshound.yaml'), {
      feeds: [{ url: server.url('/broken.xml') }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      subscribers: [{ email: 'analyst@example.com', topics: ['jaxa'] }],
      mail: { from: 'alerts@example.com' },
    });
    // Act
    const run = await runCli(['run', '--config', config, '--data', join(dir, 'data'), '--outbox', join(dir, 'outbox'), '--now', '2026-03-02T00:00:00Z']);
    const feeds = await runCli(['feeds', '--config', config, '--data', join(dir, 'data'), '--now', '2026-03-02T00:00:00Z']);
    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Repaired feeds \(read, but not well-formed\):\n {2}Truncated Wire <http:\/\/127\.0\.0\.1:\d+\/broken\.xml>: \S/);
    expect(feeds.stdout).toMatch(/Truncated Wire <http:\/\/127\.0\.0\.1:\d+\/broken\.xml>: repaired: \S/);
    const emails = await readOutbox(join(dir, 'outbox'));
    expect(emails).toHaveLength(1);
    expect(plainText(emails[0]!)).toContain('JAXA confirms intrusion');
    expect(plainText(emails[0]!)).toContain('JAXA reviews its network');
  });
});
