import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { runCli } from './support/cli.ts';
import { writeConfig } from './support/config.ts';
import { newEmails, plainText, readOutbox, type Email } from './support/outbox.ts';
import { rss, type RssItem } from './support/rss.ts';

// Several `newshound run` cycles of the real CLI, one data directory, a clock fixed by --now.
// The steps build on each other, so they run in order inside one describe.

const T0 = new Date('2026-03-02T00:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000).toISOString();
const hourAgo = new Date(T0.getTime() - 3_600_000);

const intrusion: RssItem = {
  title: 'JAXA reports intrusion into its network',
  link: 'https://news.example/jaxa-intrusion?utm_source=rss',
  description: 'The space agency JAXA said on Monday that attackers reached an internal server.',
  pubDate: hourAgo,
};
const scriptTitle: RssItem = {
  title: '<script>alert(1)</script> JAXA probe widens',
  link: 'https://news.example/probe',
  description: 'Investigators widen the JAXA probe. <img src=x onerror=alert(2)>',
  pubDate: hourAgo,
};
// Escaped twice at the source: a reader is meant to see the literal text `<script>…</script>`.
const literalScript: RssItem = {
  title: '&lt;script&gt;alert("x")&lt;/script&gt; JAXA code sample',
  link: 'https://news.example/literal',
  description: 'A JAXA page showed the snippet &lt;img src=x onerror=alert(3)&gt; to readers.',
  pubDate: hourAgo,
};
const bccTitle: RssItem = {
  title: 'JAXA update\r\nBcc: victim@example.com',
  link: 'https://news.example/update',
  description: 'A short JAXA update.',
  pubDate: hourAgo,
};
const weather: RssItem = { title: 'Weather today', link: 'https://news.example/weather', description: 'Sunny.', pubDate: hourAgo };
const oldStory: RssItem = {
  title: 'Old JAXA story from last month',
  link: 'https://news.example/old',
  description: 'JAXA, a month ago.',
  pubDate: new Date(T0.getTime() - 30 * 86_400_000),
};
const breach: RssItem = {
  title: 'New JAXA breach disclosed',
  link: 'https://news.example/breach',
  description: 'JAXA disclosed a second breach.',
  pubDate: new Date(T0.getTime() + 15 * 60_000),
};
const indictment: RssItem = {
  title: 'Unit 61419 officers indicted',
  link: 'https://other.example/unit-61419',
  description: 'Prosecutors named officers of Unit 61419.',
  pubDate: new Date(T0.getTime() + 15 * 60_000),
};
const lateStory: RssItem = {
  title: 'JAXA hardens its networks',
  link: 'https://news.example/hardening',
  description: 'After the breaches, JAXA hardens its networks.',
  pubDate: new Date(T0.getTime() + 25 * 60_000),
};

const plain = plainText;
/** A header's unfolded value, read from the raw bytes (mailparser turns some into objects). */
const header = (email: Email, name: string) => {
  const head = email.raw.slice(0, email.raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  return new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
};

describe('newshound run, cycle after cycle', () => {
  let server: FeedServer;
  let dir: string;
  let config: string;
  let outbox: string;
  let data: string;
  let sent: Email[] = [];

  const run = (now: string, extra: string[] = []) =>
    runCli(['run', '--config', config, '--data', data, '--outbox', outbox, '--now', now, ...extra]);
  const serveAlpha = (version: string, items: RssItem[]) =>
    server.route('/alpha.xml', {
      body: rss('Alpha News', items),
      etag: `"alpha-${version}"`,
      lastModified: new Date(T0.getTime() + Number(version) * 60_000).toUTCString(),
      headers: { 'content-type': 'application/rss+xml' },
    });

  beforeAll(async () => {
    server = await startFeedServer({ '/gamma.xml': { status: 500, body: 'oops' } });
    serveAlpha('1', [intrusion, scriptTitle, literalScript, bccTitle, weather, oldStory]);
    server.route('/beta.xml', { status: 503, body: 'down for maintenance' });
    dir = mkdtempSync(join(tmpdir(), 'newshound-e2e-'));
    data = join(dir, 'data');
    outbox = join(dir, 'outbox');
    config = writeConfig(join(dir, 'newshound.yaml'), {
      feeds: [
        { url: server.url('/alpha.xml') },
        { url: server.url('/beta.xml'), name: 'Beta Wire' },
        { url: server.url('/gamma.xml'), name: 'Gamma Daily' },
      ],
      topics: [{ id: 'jaxa', name: 'Attacks on JAXA', query: 'JAXA OR "Unit 61419"' }],
      subscribers: [{ email: 'analyst@example.com', topics: ['jaxa'], frequency: 'immediate', timezone: 'Asia/Tokyo' }],
      mail: { from: 'Newshound Alerts <alerts@example.com>', publicUrl: 'https://alerts.example.com' },
    });
  });

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends the first digest with every matching story, while broken feeds are reported', async () => {
    // Act
    const result = await run(at(0));
    // Assess
    expect(result.stderr).not.toMatch(/error|newshound:/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Alpha News\s+200\s+6\s+5\s+4/);
    expect(result.stdout).toMatch(/Beta Wire\s+http-status/);
    expect(result.stdout).toContain('503');
    expect(result.stdout).toMatch(/analyst@example\.com: 4 stories/);
    sent = await readOutbox(outbox);
    expect(sent).toHaveLength(1);
    const [email] = sent as [Email];
    expect(email.mail.subject).toBe('4 new stories: Attacks on JAXA');
    expect(email.mail.headers.get('x-newshound-items')).toBe('4');
    expect(email.mail.to && 'text' in email.mail.to ? email.mail.to.text : '').toBe('analyst@example.com');
    expect(email.html).toContain('href="https://news.example/jaxa-intrusion?utm_source=rss"');
    expect(email.html).toMatch(/<mark[^>]*>JAXA<\/mark> reports intrusion/);
    expect(plain(email)).toContain('JAXA reports intrusion into its network');
    expect(plain(email)).not.toContain('Weather today');
    expect(plain(email)).not.toContain('Old JAXA story');
  });

  it('escapes feed text: no script, no event handler, no header injected by a CR LF title', async () => {
    const [email] = sent as [Email];
    expect(email.html).not.toMatch(/<(script|img)\b/i);
    expect(email.html).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
    expect(email.html).toMatch(/<mark[^>]*>JAXA<\/mark> probe widens<\/a>/);
    expect(email.html).toContain('&lt;script&gt;alert(');
    expect(plainText(email)).toContain('<script>alert("x")</script> JAXA code sample');
    expect(plainText(email)).toContain('<img src=x onerror=alert(3)>');
    expect(email.mail.bcc).toBeUndefined();
    expect(email.mail.headers.has('bcc')).toBe(false);
    const headerBlock = email.raw.slice(0, email.raw.indexOf('\r\n\r\n'));
    expect(headerBlock).not.toMatch(/^bcc:/im);
    expect(plain(email)).toContain('JAXA update Bcc: victim@example.com');
  });

  it('carries one-click unsubscribe headers and a visible unsubscribe link when publicUrl is set', async () => {
    const [email] = sent as [Email];
    const unsubscribe = header(email, 'List-Unsubscribe');
    expect(unsubscribe).toMatch(/^<https:\/\/alerts\.example\.com\/unsubscribe\?token=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+>$/);
    expect(header(email, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(email.html).toContain(unsubscribe.slice(1, -1).replace(/&/g, '&amp;'));
    expect(email.html).toContain('https://alerts.example.com/manage?token=');
  });

  it('sends nothing on an unchanged re-run, asking only conditionally and getting 304', async () => {
    // Prepare
    const before = server.requests.length;
    // Act
    const result = await run(at(10));
    // Assess
    expect(result.code).toBe(0);
    const alphaRequests = server.requests.slice(before).filter((r) => r.path === '/alpha.xml');
    expect(alphaRequests).toHaveLength(1);
    expect(alphaRequests[0]!.headers['if-none-match']).toBe('"alpha-1"');
    expect(alphaRequests[0]!.headers['if-modified-since']).toBe(new Date(T0.getTime() + 60_000).toUTCString());
    expect(result.stdout).toMatch(/Alpha News\s+304\s+6\s+0\s+0/);
    expect(result.stdout).toContain('Emails sent: none.');
    expect(await newEmails(outbox, sent)).toHaveLength(0);
  });

  it('sends a new story alone, never the same story again from a second feed under another tracking link', async () => {
    // Prepare
    serveAlpha('2', [breach, intrusion, scriptTitle, literalScript, bccTitle, weather, oldStory]);
    const sameStoryElsewhere = { ...intrusion, link: 'https://NEWS.example:443/jaxa-intrusion?utm_medium=feed&utm_campaign=x#top' };
    server.route('/beta.xml', { body: rss('Beta Wire feed', [sameStoryElsewhere, indictment]) });
    // Act
    const result = await run(at(20));
    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Alpha News\s+200\s+7\s+1\s+1/);
    expect(result.stdout).toMatch(/Beta Wire\s+200\s+2\s+1\s+1/);
    const fresh = await newEmails(outbox, sent);
    expect(fresh).toHaveLength(1);
    const [email] = fresh as [Email];
    expect(email.mail.headers.get('x-newshound-items')).toBe('2');
    expect(plain(email)).toContain('New JAXA breach disclosed');
    expect(plain(email)).toContain('Unit 61419 officers indicted');
    expect(plain(email)).not.toContain('JAXA reports intrusion');
    expect(email.html).toMatch(/<mark[^>]*>Unit 61419<\/mark> officers indicted/);
    sent = await readOutbox(outbox);
  });

  it('keeps the hits of a failed send pending and sends them at the next cycle', async () => {
    // Prepare: an outbox path that is a file makes the outbox mailer fail for real.
    serveAlpha('3', [lateStory, breach, intrusion, scriptTitle, bccTitle, weather]);
    const blocked = join(dir, 'not-a-directory');
    writeFileSync(blocked, 'in the way');
    // Act
    const failed = await runCli(['run', '--config', config, '--data', data, '--outbox', blocked, '--now', at(30)]);
    const retried = await run(at(40));
    // Assess: nothing could be sent, which the exit status says (69); the hits wait.
    expect(failed.code).toBe(69);
    expect(failed.stdout).toMatch(/Send failures .*: 1/);
    expect(failed.stdout).toContain('Emails sent: none.');
    expect(retried.code).toBe(0);
    expect(retried.stdout).toMatch(/Alpha News\s+304/);
    const fresh = await newEmails(outbox, sent);
    expect(fresh).toHaveLength(1);
    expect(fresh[0]!.mail.subject).toBe('1 new story: Attacks on JAXA');
    expect(plain(fresh[0]!)).toContain('JAXA hardens its networks');
    sent = await readOutbox(outbox);
  });

  it('lists feed health and flags a feed failing for a day', async () => {
    // Act
    const result = await runCli(['feeds', '--config', config, '--data', data, '--now', at(2 * 24 * 60)]);
    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Alpha News\s+200/);
    expect(result.stdout).toMatch(/Gamma Daily\s+http-status\s+-\s+5\s+0\.0\s+\S.*\s+failing/);
    expect(result.stdout).toMatch(/Gamma Daily: polled every \d+ (minutes|hours): backing off after 5 failures/);
    expect(result.stdout).toContain('failing for 2 days');
    expect(result.stdout).toMatch(/Beta Wire\s+200\s+.*\s0\s/);
  });
});
