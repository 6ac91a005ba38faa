import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { runCli } from '../e2e/support/cli.ts';
import { writeConfig } from '../e2e/support/config.ts';
import { rss } from '../e2e/support/rss.ts';

// Failures a user can fix get one line saying what to do and an exit code that says which kind
// (docs/cli.md, "Exit codes"), never a stack trace unless --debug asks for it.

describe('ordinary failures on the command line', () => {
  let server: FeedServer;
  let dir: string;
  let config: string;
  beforeAll(async () => {
    server = await startFeedServer({ '/feed.xml': { body: rss('Wire', [{ title: 'JAXA breach', link: 'https://news.example/jaxa', pubDate: new Date('2026-03-01T23:00:00Z') }]) } });
    dir = mkdtempSync(join(tmpdir(), 'newshound-failures-'));
    config = writeConfig(join(dir, 'newshound.yaml'), {
      feeds: [{ url: server.url('/feed.xml') }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      subscribers: [{ email: 'analyst@example.com', topics: ['jaxa'] }],
      mail: { from: 'alerts@example.com' },
    });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names an unusable data directory in one line and exits 73; --debug adds the stack', async () => {
    // Prepare: a file where the data directory should be.
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    // Act
    const plain = await runCli(['run', '--config', config, '--data', file, '--now', '2026-03-02T00:00:00Z']);
    const debug = await runCli(['run', '--config', config, '--data', file, '--now', '2026-03-02T00:00:00Z', '--debug']);
    // Assess
    expect(plain.code).toBe(73);
    expect(plain.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^newshound: cannot use .*a-file.* choose another --data or --outbox directory/)]);
    expect(debug.code).toBe(73);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('says a busy data directory is busy in one line and exits 75', async () => {
    // Prepare: a live process that holds the data directory and serves nothing.
    const data = join(dir, 'held');
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' });
    try {
      const { mkdirSync } = await import('node:fs');
      mkdirSync(data, { recursive: true });
      writeFileSync(join(data, 'newshound.pid'), String(holder.pid));
      // Act
      const result = await runCli(['feeds', '--config', config, '--data', data]);
      // Assess
      expect(result.code).toBe(75);
      expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^newshound: the data directory .* is in use by another newshound process/)]);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('exits 69 when every digest of a run failed to send, naming the first error', async () => {
    // Act: SES without a region: the digest cannot be sent.
    const result = await runCli(['run', '--config', config, '--data', join(dir, 'ses-data'), '--mail', 'ses', '--now', '2026-03-02T00:00:00Z'], {
      AWS_REGION: '',
      AWS_DEFAULT_REGION: '',
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'x',
    });
    // Assess
    expect(result.code).toBe(69);
    expect(result.stderr).toMatch(/every send failed \(1\); the stories stay pending for the next run\. First error: .*[Rr]egion/);
    expect(result.stdout).toContain('Send failures (hits kept pending, retried next cycle): 1');
  });
});
