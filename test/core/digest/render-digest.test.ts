import { describe, expect, it } from 'vitest';
import { renderDigest } from '../../../lambda/core/digest/render-digest.ts';
import { makeHit, topics } from './fixtures.ts';

const now = new Date('2026-11-28T23:00:00Z');

describe('renderDigest', () => {
  it('names the story count and the topic names in the subject', () => {
    // Prepare
    const hits = [
      makeHit({ storyKey: 'a', topicIds: ['space'] }),
      makeHit({ storyKey: 'b', topicIds: ['pla-cyber'], reasons: [] }),
      makeHit({ storyKey: 'c', topicIds: ['space'] }),
    ];

    // Act
    const digest = renderDigest({ to: 'analyst@example.com', timezone: 'UTC', hits, topics, now });

    // Assess
    expect(digest.subject).toBe('3 new stories: PLA cyber operations, JAXA');
    expect(digest.itemCount).toBe(3);
    expect(digest.headers['X-Newshound-Items']).toBe('3');
  });

  it("never shows a deleted alert's raw id: left out beside a live topic, named \"Deleted alert\" alone", () => {
    // Prepare
    const gone = { topicId: 'alert:zzzzzzzzzz', terms: ['h3'], fields: ['title' as const], feedUrl: 'https://nhk.example.com/rss.xml' };
    const beside = makeHit({ storyKey: 'a', topicIds: ['alert:zzzzzzzzzz', 'space'], reasons: [gone, ...makeHit().reasons] });
    const alone = makeHit({ storyKey: 'b', topicIds: ['alert:zzzzzzzzzz'], reasons: [gone] });
    const mine = [...topics, { id: 'alert:a1b2c3d4e5', name: 'Rockets' }];

    // Act
    const digest = renderDigest({ to: 'a@example.com', timezone: 'UTC', hits: [beside, alone], topics: mine, now });

    // Assess
    expect(digest.subject).toBe('2 new stories: JAXA, Deleted alert');
    expect(`${digest.subject}${digest.text}${digest.html}`).not.toContain('zzzzzzzzzz');
    expect(digest.text).not.toContain('Also matches: Deleted alert');
    expect(digest.text).toContain('Why: h3 in title · alert Deleted alert');
  });

  it('says "1 new story" for one', () => {
    const digest = renderDigest({ to: 'a@example.com', timezone: 'UTC', hits: [makeHit()], topics, now });

    expect(digest.subject).toBe('1 new story: JAXA');
  });

  it('lists a story in two topics once, under the first topic, naming both topics in the subject', () => {
    const hit = makeHit({ topicIds: ['space', 'pla-cyber'], title: 'JAXA hit by Unit 61419', titleMarks: [] });

    const digest = renderDigest({ to: 'a@example.com', timezone: 'UTC', hits: [hit], topics, now });

    expect(digest.itemCount).toBe(1);
    expect(digest.subject).toBe('1 new story: PLA cyber operations, JAXA');
    expect(digest.text.match(/JAXA hit by/g)).toHaveLength(1);
    expect(digest.text).toContain('Also matches: JAXA');
    expect(digest.html).toContain('Also matches: JAXA');
  });

  it('orders stories newest first within a topic', () => {
    const hits = [
      makeHit({ storyKey: 'old', title: 'Older story', titleMarks: [], publishedAt: '2026-11-27T01:00:00Z' }),
      makeHit({ storyKey: 'new', title: 'Newer story', titleMarks: [], publishedAt: '2026-11-28T01:00:00Z' }),
      makeHit({ storyKey: 'undated', title: 'Undated story', titleMarks: [], publishedAt: undefined, createdAt: '2026-11-27T12:00:00Z' }),
    ];

    const { text } = renderDigest({ to: 'a@example.com', timezone: 'UTC', hits, topics, now });

    expect(text.indexOf('Newer story')).toBeLessThan(text.indexOf('Undated story'));
    expect(text.indexOf('Undated story')).toBeLessThan(text.indexOf('Older story'));
  });

  it("shows the publication time in the subscriber's zone", () => {
    const hit = makeHit({ publishedAt: '2026-11-28T04:45:00Z' });

    const tokyo = renderDigest({ to: 'a@example.com', timezone: 'Asia/Tokyo', hits: [hit], topics, now });
    const newYork = renderDigest({ to: 'a@example.com', timezone: 'America/New_York', hits: [hit], topics, now });

    expect(tokyo.text).toContain('28 Nov 2026, 13:45 GMT+9');
    expect(tokyo.html).toContain('28 Nov 2026, 13:45 GMT+9');
    expect(newYork.text).toContain('27 Nov 2026, 23:45 EST');
  });

  it('links the title, highlights matches and says why it matched in both parts', () => {
    const { text, html } = renderDigest({ to: 'a@example.com', timezone: 'UTC', hits: [makeHit()], topics, now });

    expect(html).toContain('href="https://news.example.com/jaxa-launch?utm_source=rss"');
    expect(html).toMatch(/<mark[^>]*>JAXA<\/mark> launches H3 rocket/);
    expect(html).toMatch(/The <mark[^>]*>JAXA<\/mark> H3 rocket/);
    expect(text).toContain('* «JAXA» launches H3 rocket');
    expect(text).toContain('  https://news.example.com/jaxa-launch?utm_source=rss');
    expect(text).toContain('The «JAXA» H3 rocket');
    expect(text).toContain('Why: JAXA in title, summary · topic JAXA · feed https://nhk.example.com/rss.xml');
    expect(html).toContain('Why: <b>JAXA</b> in title, summary · topic JAXA · feed https://nhk.example.com/rss.xml');
  });

  it('names the other feeds that carried the story, not its own', () => {
    const hit = makeHit();

    const { text, html } = renderDigest({
      to: 'a@example.com',
      timezone: 'UTC',
      hits: [hit],
      topics,
      now,
      alsoCarriedBy: { [hit.storyKey]: ['NHK News', 'Kyodo', 'Japan Times'] },
    });

    expect(text).toContain('Also in: Kyodo, Japan Times');
    expect(html).toContain('Also in: Kyodo, Japan Times');
  });

  it('adds one-click unsubscribe headers and visible links only when given a URL', () => {
    const url = 'https://alerts.example.com/unsubscribe?token=abc.def';

    const withUrl = renderDigest({
      to: 'a@example.com', timezone: 'UTC', hits: [makeHit()], topics, now,
      unsubscribeUrl: url, manageUrl: 'https://alerts.example.com/manage?token=x.y',
    });
    const without = renderDigest({ to: 'a@example.com', timezone: 'UTC', hits: [makeHit()], topics, now });

    expect(withUrl.headers['List-Unsubscribe']).toBe(`<${url}>`);
    expect(withUrl.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(withUrl.text).toContain(`Unsubscribe: ${url}`);
    expect(withUrl.text).toContain('Manage alerts: https://alerts.example.com/manage?token=x.y');
    expect(withUrl.html).toContain('href="https://alerts.example.com/unsubscribe?token=abc.def"');
    expect(without.headers).toEqual({ 'X-Newshound-Items': '1' });
    expect(without.text).not.toContain('Unsubscribe');
  });

  it('escapes feed text: no script, no event handler, no javascript: or data: link', () => {
    // Prepare
    const hits = [
      makeHit({ storyKey: 'x1', title: '<script>alert(1)</script> JAXA', titleMarks: [[26, 30]], url: 'javascript:alert(1)' }),
      makeHit({ storyKey: 'x2', title: '<img src=x onerror=alert(2)>', titleMarks: [], url: 'data:text/html,<script>alert(3)</script>' }),
      makeHit({ storyKey: 'x3', source: '"><svg onload=alert(4)>', url: 'https://ok.example.com/"onmouseover="alert(5)' }),
      makeHit({ storyKey: 'x4', snippet: { text: '<iframe src="https://evil.example">JAXA', marks: [[35, 39]] } }),
    ];

    // Act
    const { html, text } = renderDigest({ to: 'a@example.com', timezone: 'UTC', hits, topics, now });

    // Assess
    expect(html).not.toMatch(/<script|<img|<svg|<iframe/i);
    // Feed text has every `<` escaped, so each `<` left starts one of our tags: none has an on* attribute.
    expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).not.toMatch(/href="(javascript|data):/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; <mark');
    expect(html).toContain('href="https://ok.example.com/%22onmouseover=%22alert(5)"');
    expect(text).toContain('* <script>alert(1)</script> «JAXA»');
    expect(text).not.toContain('javascript:');
    expect(text).not.toContain('data:text');
  });

  it('keeps CR/LF in a title from starting a new line in the text part', () => {
    const hit = makeHit({ title: 'Breaking\r\nUnsubscribe: https://evil.example\r\nBcc: evil@example.com', titleMarks: [] });

    const { text, subject } = renderDigest({ to: 'a@example.com', timezone: 'UTC', hits: [hit], topics, now });

    expect(text).toContain('* Breaking Unsubscribe: https://evil.example Bcc: evil@example.com');
    expect(text).not.toMatch(/^Bcc:/m);
    expect(text).not.toMatch(/^Unsubscribe:/m);
    expect(subject).toBe('1 new story: JAXA');
  });

  it('never links a link with credentials in it', () => {
    const hit = makeHit({ url: 'https://bank.example.com@evil.example/login' });

    const { html } = renderDigest({ to: 'a@example.com', timezone: 'UTC', hits: [hit], topics, now });

    expect(html).not.toContain('evil.example');
  });
});
