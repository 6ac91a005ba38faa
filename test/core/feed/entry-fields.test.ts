import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../lambda/core/feed/parse-feed.ts';

// What an entry's text, categories and date become, for the shapes the corpus end-to-end test
// (test/e2e/real-world-feeds.e2e.test.ts) can only see as titles and links.

const atom = (entry: string) =>
  `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/"><title>t</title><entry><title>Entry</title><id>urn:x:1</id>${entry}</entry></feed>`;
const rss = (item: string) => `<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>t</title><item><title>Item</title><link>https://news.example/1</link>${item}</item></channel></rss>`;

async function entry(xml: string) {
  const feed = await parseFeed(xml, 'https://news.example/feed');
  const [first] = feed.entries;
  if (first === undefined) throw new Error('no entry');
  return first;
}

describe('entry fields', () => {
  it('reads XHTML content in document order, keeping paragraphs apart', async () => {
    const e = await entry(atom('<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>First <b>bold</b> words.</p><p>Second.</p><script>x()</script></div></content>'));

    expect(e.text).toBe('First bold words. Second.');
  });

  it('keeps Atom text content as written, markup-looking text included', async () => {
    const e = await entry(atom('<summary>Use &lt;b&gt; for bold.</summary>'));

    expect(e.text).toBe('Use <b> for bold.');
  });

  it('never shows base64 of a non-text media type as text, and uses the summary instead', async () => {
    const e = await entry(atom('<summary>The lure.</summary><content type="image/png">iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB</content>'));

    expect(e.text).toBe('The lure.');
  });

  it('decodes Atom 0.3 base64 HTML content', async () => {
    const body = Buffer.from('<p>Sent in <b>base64</b>.</p>').toString('base64');
    const xml = `<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>t</title><entry><title>E</title><id>urn:x:1</id><content mode="base64" type="text/html">${body}</content></entry></feed>`;

    expect((await entry(xml)).text).toBe('Sent in base64.');
  });

  it('takes a description from Media RSS when the entry has no other', async () => {
    expect((await entry(atom('<media:group><media:description>A short history.</media:description></media:group>'))).text).toBe('A short history.');
    expect((await entry(rss('<media:content url="x.jpg"><media:description>Police searched offices.</media:description></media:content>'))).text).toBe(
      'Police searched offices.',
    );
  });

  it('keeps the fuller of description and content:encoded', async () => {
    const xml = rss(
      '<description>Short.</description><content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[<p>The whole story, told at length.</p>]]></content:encoded>',
    );

    expect((await entry(xml)).text).toBe('The whole story, told at length.');
  });

  it('reads Atom category terms and RSS categories and dc:subject as categories, without duplicates', async () => {
    expect((await entry(atom('<category term="APT"/><category term="Japan" label="Japan (country)"/><category term="APT"/>'))).categories).toEqual(['APT', 'Japan']);
    expect((await entry(rss('<category>APT</category><dc:subject xmlns:dc="http://purl.org/dc/elements/1.1/">Tick</dc:subject>'))).categories).toEqual([
      'APT',
      'Tick',
    ]);
  });

  it.each([
    ['Sun, 01 Mar 2026 10:00:00 JST', '2026-03-01T01:00:00.000Z'],
    ['Sun, 01 Mar 2026 10:00:00 CEST', '2026-03-01T08:00:00.000Z'],
    ['Sun, 01 Mar 2026 10:00:00 EST', '2026-03-01T15:00:00.000Z'],
    ['2026-03-01T10:00:00+09:00', '2026-03-01T01:00:00.000Z'],
  ])('reads the date %s', async (date, iso) => {
    expect((await entry(rss(`<pubDate>${date}</pubDate>`))).publishedAt).toBe(iso);
  });

  it('leaves a date it cannot read out, and the entry in', async () => {
    const e = await entry(rss('<pubDate>Sun, 01 Mar 2026 10:00:00 IST</pubDate>'));

    expect(e.publishedAt).toBeUndefined();
    expect(e.title).toBe('Item');
  });
});
