import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { runCli } from '../e2e/support/cli.ts';
import { writeConfig } from '../e2e/support/config.ts';
import { rss } from '../e2e/support/rss.ts';

// A feed's title reaches the operator's terminal in `newshound run` and `newshound feeds`
// (docs/cli.md, "Terminal output"): escape sequences and bidi controls in it must arrive inert.

const NOW = '2026-03-02T00:00:00Z';
// U+202E would make "gnp.exe" display as "exe.png"; the ESC sequences would clear
// the screen, retitle the window and print in red; U+009B is the one-byte CSI of C1.
const HOSTILE_TITLE =
  'Evil \u202Egnp.exe\u202C \u2066isolated\u2069 \u200Fmark\u200E \u061C' +
  '\u001b[2J\u001b]0;pwned\u0007 \u009b31mred\u001b[0m\r\nInjected: line News';
// Every character that must never reach the terminal from feed text.
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

describe('terminal output built from feed text', () => {
  const dir = mkdtempSync(join(tmpdir(), 'newshound-terminal-'));
  let server: FeedServer;
  let config: string;
  const data = join(dir, 'data');
  beforeAll(async () => {
    server = await startFeedServer({
      '/hostile.xml': {
        headers: { 'content-type': 'application/rss+xml' },
        body: rss(HOSTILE_TITLE, [{ title: 'JAXA \u202Eupdate', link: 'https://news.example/a', pubDate: new Date('2026-03-01T23:00:00Z') }]),
      },
    });
    config = writeConfig(join(dir, 'newshound.yaml'), {
      feeds: [{ url: server.url('/hostile.xml') }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      mail: { from: 'alerts@example.com' },
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the feed in the run summary with its escape sequences, bidi controls and line breaks neutralised', async () => {
    // Act
    const result = await runCli(['run', '--config', config, '--data', data, '--outbox', join(dir, 'outbox'), '--now', NOW]);
    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Evil +gnp\.exe isolated mark/m);
    expect(result.stdout).not.toMatch(UNSAFE);
    expect(result.stderr).not.toMatch(UNSAFE);
  });

  it('shows the stored feed title in `newshound feeds` with the same characters neutralised', async () => {
    // Act
    const result = await runCli(['feeds', '--config', config, '--data', data, '--now', NOW]);
    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Evil +gnp\.exe isolated mark/m);
    expect(result.stdout).not.toMatch(UNSAFE);
    expect(result.stdout).not.toMatch(/^Injected/m);
  });
});
