import { simpleParser, type ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildMime } from '../../../lambda/adapters/mail/build-mime.ts';
import { renderDigest } from '../../../lambda/core/digest/render-digest.ts';
import { makeHit, topics } from '../../core/digest/fixtures.ts';
import { headerValue, hrefs, rawHeaderNames } from './mail-helpers.ts';

const from = 'Newshound Alerts <alerts@example.com>';
const date = new Date('2026-11-28T23:00:00Z');
const unsubscribeUrl = 'https://alerts.example.com/unsubscribe?token=eyJzdWIiOiJ4In0.c2ln';

async function emailFor(hits = [makeHit()], to = 'analyst@example.com'): Promise<{ raw: Buffer; mail: ParsedMail }> {
  const digest = renderDigest({ to, timezone: 'Asia/Tokyo', hits, topics, now: date, unsubscribeUrl });
  const raw = await buildMime(digest, { from, to, date });
  return { raw, mail: await simpleParser(raw) };
}

describe('a digest email parsed back', () => {
  it('is multipart/alternative UTF-8 with text and HTML parts', async () => {
    const { raw, mail } = await emailFor();

    expect(raw.toString('utf8')).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(raw.toString('utf8')).toMatch(/^Content-Type: text\/plain; charset=utf-8/m);
    expect(raw.toString('utf8')).toMatch(/^Content-Type: text\/html; charset=utf-8/m);
    expect(mail.text).toContain('«JAXA» launches H3 rocket');
    expect(mail.html).toMatch(/<mark[^>]*>JAXA<\/mark> launches H3 rocket/);
  });

  it('carries the subject, addresses, Date from the cycle clock and the digest headers', async () => {
    const { mail } = await emailFor();

    expect(mail.subject).toBe('1 new story: JAXA');
    expect(mail.from?.value).toEqual([{ address: 'alerts@example.com', name: 'Newshound Alerts' }]);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : []).toEqual([{ address: 'analyst@example.com', name: '' }]);
    expect(mail.date?.toISOString()).toBe('2026-11-28T23:00:00.000Z');
    expect(headerValue(mail, 'X-Newshound-Items')).toBe('1');
    expect(headerValue(mail, 'List-Unsubscribe')).toBe(`<${unsubscribeUrl}>`);
    expect(headerValue(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.messageId).toMatch(/^<[0-9a-f-]+@example\.com>$/);
  });

  it('links each title to its original URL and shows the unsubscribe link in both parts', async () => {
    const { mail } = await emailFor();

    expect(hrefs(mail.html)).toEqual(['https://news.example.com/jaxa-launch?utm_source=rss', unsubscribeUrl]);
    expect(mail.text).toContain(`Unsubscribe: ${unsubscribeUrl}`);
  });

  it('keeps a non-ASCII title and snippet intact', async () => {
    const hit = makeHit({ title: '宇宙航空研究開発機構がH3打ち上げ', titleMarks: [[0, 10]], snippet: { text: 'ＪＡＸＡ発表', marks: [] } });

    const { mail } = await emailFor([hit]);

    expect(mail.text).toContain('«宇宙航空研究開発機構»がH3打ち上げ');
    expect(mail.html).toContain('ＪＡＸＡ発表');
  });

  it('counts distinct stories in X-Newshound-Items', async () => {
    const hits = [makeHit({ storyKey: 'a', topicIds: ['space', 'pla-cyber'] }), makeHit({ storyKey: 'b' }), makeHit({ storyKey: 'a' })];

    const { mail } = await emailFor(hits);

    expect(headerValue(mail, 'X-Newshound-Items')).toBe('2');
  });
});

describe('feed text in a digest email', () => {
  it('cannot inject a header: a title with CR LF + Bcc stays inside the body', async () => {
    // Prepare
    const hit = makeHit({ title: 'Launch\r\nBcc: evil@example.com\r\nX-Evil: 1', titleMarks: [] });

    // Act
    const { raw, mail } = await emailFor([hit]);

    // Assess
    expect(mail.bcc).toBeUndefined();
    expect(mail.headers.has('bcc')).toBe(false);
    expect(mail.headers.has('x-evil')).toBe(false);
    expect(rawHeaderNames(raw)).not.toContain('bcc');
    expect(mail.subject).toBe('1 new story: JAXA');
    expect(mail.text).toContain('* Launch Bcc: evil@example.com X-Evil: 1');
  });

  it('renders script, event handlers and javascript:/data: links inert', async () => {
    const hits = [
      makeHit({ storyKey: 'a', title: '<script>alert(1)</script>', titleMarks: [], url: 'javascript:alert(1)' }),
      makeHit({ storyKey: 'b', title: '<img src=x onerror=alert(1)>', titleMarks: [], url: 'data:text/html;base64,PHNjcmlwdD4=' }),
      makeHit({ storyKey: 'c', title: 'JAVASCRIPT link', titleMarks: [], url: ' JaVaScRiPt:alert(1)' }),
    ];

    const { mail } = await emailFor(hits);
    const html = String(mail.html);

    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/javascript:|data:text/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('refuses a recipient that smuggles a second address or a header', async () => {
    const digest = renderDigest({ to: 'a@example.com', timezone: 'UTC', hits: [makeHit()], topics, now: date });

    await expect(buildMime(digest, { from, to: 'a@example.com\r\nBcc: evil@example.com', date })).rejects.toThrow(/to address/);
    await expect(buildMime(digest, { from, to: 'a@example.com, evil@example.com', date })).rejects.toThrow(/exactly one/);
    await expect(buildMime(digest, { from, to: 'Group: evil@example.com;', date })).rejects.toThrow(/exactly one/);
  });

  it('refuses extra headers a digest has no business setting', async () => {
    const digest = renderDigest({ to: 'a@example.com', timezone: 'UTC', hits: [makeHit()], topics, now: date });

    await expect(buildMime({ ...digest, headers: { Bcc: 'evil@example.com' } }, { from, to: 'a@example.com', date })).rejects.toThrow(/Bcc/);
  });
});
