import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { startSesEmulator, type SesEmulator } from '../support/ses-emulator.ts';
import { runCli } from './support/cli.ts';
import { writeConfig } from './support/config.ts';
import { rss } from './support/rss.ts';

describe('newshound run --mail ses', () => {
  let server: FeedServer;
  let ses: SesEmulator;
  let dir: string;

  beforeAll(async () => {
    server = await startFeedServer({
      '/feed.xml': { body: rss('Wire', [{ title: 'JAXA breach', link: 'https://news.example/jaxa', description: 'JAXA was breached.' }]) },
    });
    ses = await startSesEmulator();
    dir = mkdtempSync(join(tmpdir(), 'newshound-ses-'));
  });
  afterAll(async () => {
    await server?.close();
    await ses?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends the digest through SES (AWS_ENDPOINT_URL_SES honoured) and writes no outbox', async () => {
    // Prepare
    const config = writeConfig(join(dir, 'newshound.yaml'), {
      feeds: [{ url: server.url('/feed.xml') }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      subscribers: [{ email: 'analyst@example.com', topics: ['jaxa'] }],
      mail: { from: 'Alerts <alerts@example.com>' },
    });
    // Act
    const result = await runCli(['run', '--config', config, '--data', join(dir, 'data'), '--outbox', join(dir, 'outbox'), '--mail', 'ses'], {
      AWS_ENDPOINT_URL_SES: ses.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/analyst@example\.com: 1 story/);
    expect(await ses.emails()).toHaveLength(1);
    const mail = await simpleParser(ses.rawMessages[0]!);
    expect(mail.subject).toBe('1 new story: JAXA');
    expect(mail.html).toContain('href="https://news.example/jaxa"');
    expect(existsSync(join(dir, 'outbox'))).toBe(false);
  });
});
