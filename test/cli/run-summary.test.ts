import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFeedServer } from '../support/feed-server.ts';
import { runCli } from '../e2e/support/cli.ts';
import { writeConfig } from '../e2e/support/config.ts';
import { rss } from '../e2e/support/rss.ts';

// The `newshound run` summary as an operator reads it (README, "Feed health").

describe('the run summary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'newshound-summary-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts one feed, one item, one hit and one story in the singular', async () => {
    // Prepare: one feed with one matching story, one immediate subscriber
    const server = await startFeedServer({
      '/feed.xml': {
        headers: { 'content-type': 'application/rss+xml' },
        body: rss('Space News', [{ title: 'JAXA reports an intrusion', link: 'https://news.example/jaxa', pubDate: new Date('2026-03-01T23:00:00Z') }]),
      },
    });
    const config = writeConfig(join(dir, 'newshound.yaml'), {
      feeds: [{ url: server.url('/feed.xml') }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      subscribers: [{ email: 'analyst@example.com', topics: ['jaxa'] }],
      mail: { from: 'alerts@example.com' },
    });
    try {
      // Act
      const result = await runCli(['run', '--config', config, '--data', join(dir, 'data'), '--outbox', join(dir, 'outbox'), '--now', '2026-03-02T00:00:00Z']);
      // Assess
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(': 1 feed (0 failed), 1 item, 1 new, 1 matched, 1 hit.\n');
      expect(result.stdout).toMatch(/^ {2}analyst@example\.com: 1 story \(/m);
    } finally {
      await server.close();
    }
  });
});
