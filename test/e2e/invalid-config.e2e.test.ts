import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { runCli } from './support/cli.ts';
import { writeConfig } from './support/config.ts';
import { readOutbox } from './support/outbox.ts';

describe('newshound run with an invalid config', () => {
  let server: FeedServer;
  let dir: string;

  beforeAll(async () => {
    server = await startFeedServer({ '/feed.xml': { body: '<rss version="2.0"><channel><title>x</title></channel></rss>' } });
    dir = mkdtempSync(join(tmpdir(), 'newshound-badcfg-'));
  });

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('exits 2 naming the file, the field and the topic, and fetches and sends nothing', async () => {
    // Prepare: one subscriber names an unknown topic, one query does not parse.
    const config = writeConfig(join(dir, 'bad.yaml'), {
      feeds: [{ url: server.url('/feed.xml') }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA AND (' }],
      subscribers: [{ email: 'a@example.com', topics: ['jaxx'] }],
      mail: { from: 'alerts@example.com' },
    });
    const outbox = join(dir, 'outbox');
    // Act
    const result = await runCli(['run', '--config', config, '--data', join(dir, 'data'), '--outbox', outbox]);
    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(config);
    expect(result.stderr).toContain('subscribers[0].topics[0]');
    expect(result.stderr).toContain('unknown topic "jaxx"');
    expect(server.requests).toHaveLength(0);
    expect(await readOutbox(outbox)).toHaveLength(0);
  });

  it('exits 2 naming the topic whose query does not parse', async () => {
    // Prepare
    const config = writeConfig(join(dir, 'bad-query.yaml'), {
      feeds: [{ url: server.url('/feed.xml') }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA AND (' }],
      mail: { from: 'alerts@example.com' },
    });
    // Act
    const result = await runCli(['run', '--config', config, '--data', join(dir, 'data')]);
    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('topics[0].query (topic "jaxa")');
    expect(server.requests).toHaveLength(0);
  });
});
