import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { runCli } from './support/cli.ts';
import { writeConfig } from './support/config.ts';
import { newEmails, plainText, readOutbox, type Email } from './support/outbox.ts';
import { rss, type RssItem } from './support/rss.ts';

// A daily subscriber in Asia/Tokyo (UTC+9) with mail.dailyAt 08:00: the digest goes out at the
// first cycle at or after 08:00 Tokyo time, once per Tokyo date, whatever the UTC date says.

const first: RssItem = {
  title: 'Tick group targets Japanese defence contractors',
  link: 'https://news.example/tick-1',
  description: 'Researchers attribute the campaign to Tick.',
  pubDate: new Date('2026-03-01T21:00:00Z'),
};
const second: RssItem = {
  title: 'Tick malware found in a supply chain',
  link: 'https://news.example/tick-2',
  description: 'A second Tick campaign.',
  pubDate: new Date('2026-03-01T23:50:00Z'),
};

describe('daily digests in a non-UTC zone', () => {
  let server: FeedServer;
  let dir: string;
  let config: string;
  let sent: Email[] = [];
  const outbox = () => join(dir, 'outbox');
  const run = (now: string) => runCli(['run', '--config', config, '--data', join(dir, 'data'), '--outbox', outbox(), '--now', now]);

  beforeAll(async () => {
    server = await startFeedServer({ '/tick.xml': { body: rss('Threat Wire', [first]), etag: '"v1"' } });
    dir = mkdtempSync(join(tmpdir(), 'newshound-daily-'));
    config = writeConfig(join(dir, 'newshound.yaml'), {
      feeds: [{ url: server.url('/tick.xml') }],
      topics: [{ id: 'tick', name: 'Tick group', query: '=Tick OR "BRONZE BUTLER"' }],
      subscribers: [{ email: 'tokyo@example.com', topics: ['tick'], frequency: 'daily', timezone: 'Asia/Tokyo' }],
      mail: { from: 'alerts@example.com', dailyAt: '08:00' },
    });
  });

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds hits before 08:00 Tokyo time even though it is long past 08:00 UTC', async () => {
    // Act: 22:30 UTC on 1 March is 07:30 on 2 March in Tokyo.
    const result = await run('2026-03-01T22:30:00Z');
    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Threat Wire\s+200\s+1\s+1\s+1/);
    expect(result.stdout).toContain('Held for a later digest');
    expect(await readOutbox(outbox())).toHaveLength(0);
  });

  it('sends the digest at the first cycle after 08:00 Tokyo time', async () => {
    // Act: 08:05 in Tokyo.
    const result = await run('2026-03-01T23:05:00Z');
    // Assess
    expect(result.code).toBe(0);
    sent = await readOutbox(outbox());
    expect(sent).toHaveLength(1);
    expect(sent[0]!.mail.subject).toBe('1 new story: Tick group');
    expect(sent[0]!.mail.date?.toISOString()).toBe('2026-03-01T23:05:00.000Z');
    expect(plainText(sent[0]!)).toContain('Tick group targets Japanese defence contractors');
  });

  it('sends once per Tokyo date: a later story waits for the next morning', async () => {
    // Prepare
    server.route('/tick.xml', { body: rss('Threat Wire', [second, first]), etag: '"v2"' });
    // Act: 09:00 on 2 March in Tokyo (a new UTC date), then 08:01 on 3 March.
    const sameDay = await run('2026-03-02T00:00:00Z');
    const afterSameDay = await newEmails(outbox(), sent);
    const nextMorning = await run('2026-03-02T23:01:00Z');
    // Assess
    expect(sameDay.code).toBe(0);
    expect(sameDay.stdout).toMatch(/Threat Wire\s+200\s+2\s+1\s+1/);
    expect(afterSameDay).toHaveLength(0);
    expect(nextMorning.code).toBe(0);
    const fresh = await newEmails(outbox(), sent);
    expect(fresh).toHaveLength(1);
    expect(fresh[0]!.mail.headers.get('x-newshound-items')).toBe('1');
    expect(plainText(fresh[0]!)).toContain('Tick malware found in a supply chain');
    expect(plainText(fresh[0]!)).not.toContain('defence contractors');
  });
});
