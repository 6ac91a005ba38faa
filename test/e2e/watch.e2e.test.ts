import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { startCli } from './support/cli.ts';
import { writeConfig } from './support/config.ts';
import { readOutbox } from './support/outbox.ts';
import { rss } from './support/rss.ts';

describe('newshound watch', () => {
  let server: FeedServer;
  let dir: string;

  beforeAll(async () => {
    server = await startFeedServer({
      '/feed.xml': { body: rss('Wire', [{ title: 'JAXA breach', link: 'https://news.example/jaxa', description: 'JAXA was breached.' }]) },
    });
    dir = mkdtempSync(join(tmpdir(), 'newshound-watch-'));
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs a cycle, waits for the next one, and stops cleanly on SIGTERM', async () => {
    // Prepare
    const config = writeConfig(join(dir, 'newshound.yaml'), {
      feeds: [{ url: server.url('/feed.xml') }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      subscribers: [{ email: 'analyst@example.com', topics: ['jaxa'] }],
      mail: { from: 'alerts@example.com' },
      schedule: { pollMinutes: 60 },
    });
    const outbox = join(dir, 'outbox');
    // Act
    const watch = startCli(['watch', '--config', config, '--data', join(dir, 'data'), '--outbox', outbox]);
    await watch.waitForOutput(/Next cycle at/);
    watch.signal('SIGTERM');
    const result = await watch.done;
    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Watching 1 feeds every 60 min');
    expect(result.stderr).toContain('SIGTERM received');
    expect(server.count('/feed.xml')).toBe(1);
    expect(await readOutbox(outbox)).toHaveLength(1);
  });
});
