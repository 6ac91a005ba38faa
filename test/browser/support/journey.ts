import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { ROOT, runCli } from '../../e2e/support/cli.ts';
import { writeConfig } from '../../e2e/support/config.ts';
import { newEmails, readOutbox, type Email } from '../../e2e/support/outbox.ts';
import { rss, type RssItem } from '../../e2e/support/rss.ts';
import { startFeedServer, type FeedServer } from '../../support/feed-server.ts';
import { launchChromium, type Browser } from './browser.ts';
import { freePort, startServe, type ServeProcess } from './serve-process.ts';

// What a browser journey stands on: `newshound serve` on a free port with one local feed, a config
// of the given topics, one data directory and outbox shared with the `newshound run` cycles the
// journey makes, and a headless Chromium in Tokyo.

const ARTIFACTS = join(ROOT, 'test-artifacts/browser');

export interface Journey {
  config: string;
  data: string;
  serve: ServeProcess;
  page: Page;
  /** Both processes read the token key from <data>/secret.key: run and serve must agree on it. */
  env: Record<string, string>;
  /** A full-page screenshot into test-artifacts/browser/. */
  shot(name: string): Promise<Buffer>;
  /** The emails that reached the outbox since the last look. */
  arrived(): Promise<Email[]>;
  /** One `newshound run` at `now` with the feed serving `items`; the emails it sent. */
  cycle(now: Date, items: RssItem[]): Promise<Email[]>;
  close(): Promise<void>;
}

export async function openJourney(options: { chromium: string; prefix: string; topics: Array<{ id: string; name: string; query: string }> }): Promise<Journey> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), options.prefix));
  const data = join(dir, 'data');
  const outbox = join(dir, 'outbox');
  const env = { NEWSHOUND_SECRET: '' };
  let feeds: FeedServer | undefined;
  let serve: ServeProcess | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await serve?.stop();
    await feeds?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    feeds = await startFeedServer();
    const port = await freePort();
    const config = writeConfig(join(dir, 'newshound.yaml'), {
      feeds: [{ url: feeds.url('/news.xml'), name: 'Test News' }],
      topics: options.topics,
      mail: { from: 'Newshound Alerts <alerts@example.com>', publicUrl: `http://127.0.0.1:${port}` },
    });
    serve = await startServe(['--port', String(port), '--config', config, '--data', data, '--outbox', outbox], env);
    browser = await launchChromium(options.chromium, { timezoneId: 'Asia/Tokyo' });
    const page = await browser.context.newPage();
    const server = feeds;
    let mail: Email[] = [];
    const arrived = async () => {
      const fresh = await newEmails(outbox, mail);
      mail = await readOutbox(outbox);
      return fresh;
    };
    return {
      config,
      data,
      serve,
      page,
      env,
      shot: (name) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true }),
      arrived,
      cycle: async (now, items) => {
        server.route('/news.xml', { headers: { 'content-type': 'application/rss+xml' }, body: rss('Test News', items) });
        const result = await runCli(['run', '--config', config, '--data', data, '--outbox', outbox, '--now', now.toISOString()], env);
        expect(result.code, result.stderr).toBe(0);
        return arrived();
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
