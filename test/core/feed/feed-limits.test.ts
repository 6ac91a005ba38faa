import { describe, expect, it } from 'vitest';
import { FeedError } from '../../../lambda/core/errors/feed-error.ts';
import {
  CATEGORIES_MAX,
  CATEGORY_MAX_CHARS,
  GUID_MAX_CHARS,
  HTML_MAX_DEPTH,
  KEY_MAX_BYTES,
  LINK_MAX_CHARS,
  TEXT_MAX_CHARS,
  TITLE_MAX_CHARS,
  XML_MAX_ATTRIBUTES,
  XML_MAX_DEPTH,
  XML_MAX_ELEMENTS,
} from '../../../lambda/core/feed/entry-limits.ts';
import { ParseBudget } from '../../../lambda/core/feed/parse-budget.ts';
import { parseFeed } from '../../../lambda/core/feed/parse-feed.ts';

const FEED_URL = 'https://news.example/feed.xml';

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function rss(items: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example News</title><link>https://news.example/</link>
${items}
</channel></rss>`;
}

function item(title: string, link: string, description = 'A short summary.', extra = ''): string {
  return `<item><title>${escapeXml(title)}</title><link>${escapeXml(link)}</link><description>${escapeXml(description)}</description>${extra}</item>`;
}

const normal = item('JAXA reports intrusion', 'https://news.example/jaxa');

async function failureOf(xml: string, budget?: ParseBudget): Promise<FeedError> {
  try {
    await parseFeed(xml, FEED_URL, budget);
  } catch (err) {
    if (err instanceof FeedError) return err;
    throw err;
  }
  throw new Error('parseFeed accepted the document');
}

describe('a feed over the parse budget', () => {
  it(`fails as too-complex when its XML nests deeper than ${XML_MAX_DEPTH} levels`, async () => {
    const deep = `<item><title>Deep</title><link>https://news.example/deep</link><x>${'<b>'.repeat(XML_MAX_DEPTH)}x${'</b>'.repeat(XML_MAX_DEPTH)}</x></item>`;

    const error = await failureOf(rss(normal + deep));

    expect(error.kind).toBe('too-complex');
    expect(error.message).toContain(`deeper than ${XML_MAX_DEPTH}`);
  });

  it('reads XML nested just within the depth limit', async () => {
    // rss > channel > item > x is 4 levels; the rest fills the limit exactly.
    const levels = XML_MAX_DEPTH - 4;
    const deep = `<item><title>Deep</title><link>https://news.example/deep</link><x>${'<b>'.repeat(levels)}x${'</b>'.repeat(levels)}</x></item>`;

    const feed = await parseFeed(rss(normal + deep), FEED_URL);

    expect(feed.entries.map((e) => e.title)).toEqual(['JAXA reports intrusion', 'Deep']);
  });

  it(`fails as too-complex with more than ${XML_MAX_ELEMENTS.toLocaleString('en')} elements`, async () => {
    const flood = `<item><title>Flood</title><link>https://news.example/flood</link><x>${'<b/>'.repeat(XML_MAX_ELEMENTS)}</x></item>`;

    expect((await failureOf(rss(normal + flood))).kind).toBe('too-complex');
  });

  it(`fails as too-complex when one element has more than ${XML_MAX_ATTRIBUTES} attributes`, async () => {
    const attrs = Array.from({ length: XML_MAX_ATTRIBUTES + 1 }, (_, i) => `a${i}="x"`).join(' ');

    expect((await failureOf(rss(`<item ${attrs}><title>t</title></item>`))).kind).toBe('too-complex');
  });

  it('fails as too-complex once reading has used up its time, checked between entries', async () => {
    // Prepare: a clock that advances 300 ms each time the budget looks at it.
    let now = 0;
    const budget = new ParseBudget(1_000, () => (now += 300));
    const items = Array.from({ length: 20 }, (_, i) => item(`Story ${i}`, `https://news.example/${i}`)).join('');

    const error = await failureOf(rss(items), budget);

    expect(error.kind).toBe('too-complex');
    expect(error.message).toContain('1000 ms');
  });
});

describe('HTML inside one entry that is too deep', () => {
  const nested = (n: number) => `Police said on Tuesday ${'<b>'.repeat(n)}that the attackers${'</b>'.repeat(n)} were caught.`;

  it.each([
    ['escaped', (html: string) => escapeXml(html)],
    ['in CDATA', (html: string) => `<![CDATA[${html}]]>`],
  ])('is cut at the depth limit (%s), keeping the words before it and every other entry', async (_, wrap) => {
    const hostile = `<item><title>Deep story</title><link>https://news.example/deep</link><description>${wrap(nested(5_000))}</description></item>`;

    const feed = await parseFeed(rss(normal + hostile + item('After it', 'https://news.example/after')), FEED_URL);

    expect(feed.entries.map((e) => e.title)).toEqual(['JAXA reports intrusion', 'Deep story', 'After it']);
    expect(feed.entries[1]?.text).toBe('Police said on Tuesday…');
    expect(feed.dropped).toBe(0);
  });

  it('keeps HTML nested within the limit whole', async () => {
    const html = nested(HTML_MAX_DEPTH);
    const feed = await parseFeed(rss(item('Nested', 'https://news.example/n', html)), FEED_URL);

    expect(feed.entries[0]?.text).toBe('Police said on Tuesday that the attackers were caught.');
  });
});

describe('entities XML does not define', () => {
  it('reads &nbsp; and other HTML entities in raw XML as HTML does, and says the feed was repaired', async () => {
    const xml = rss(`${normal}<item><title>Caf&eacute;&nbsp;attack</title><link>https://news.example/cafe</link><description>Open&nbsp;source</description></item>`);

    const feed = await parseFeed(xml, FEED_URL);

    expect(feed.entries.map((e) => [e.title, e.text])).toEqual([
      ['JAXA reports intrusion', 'A short summary.'],
      ['Café attack', 'Open source'],
    ]);
    expect(feed.dropped).toBe(0);
    expect(feed.repaired).toContain('&nbsp;');
  });

  it('drops a reference to a character XML does not allow, and keeps the entry', async () => {
    const xml = rss(`${normal}<item><title>Bad&#1; reference</title><link>https://news.example/bad</link></item>`);

    const feed = await parseFeed(xml, FEED_URL);

    expect(feed.entries.map((e) => e.title)).toEqual(['JAXA reports intrusion', 'Bad reference']);
    expect(feed.repaired).toContain('&#1;');
  });

  it('reads windows-1252 character references (&#146;) as the characters they name there', async () => {
    const xml = rss('<item><title>Don&#146;t panic &#150; it&#8217;s fine</title><link>https://news.example/p</link></item>');

    const feed = await parseFeed(xml, FEED_URL);

    expect(feed.entries[0]?.title).toBe('Don’t panic – it’s fine');
    expect(feed.repaired).toBeUndefined();
  });
});

describe('bounded entries', () => {
  it(`cuts a title to ${TITLE_MAX_CHARS} characters with "…", never inside a surrogate pair`, async () => {
    const title = `${'a'.repeat(TITLE_MAX_CHARS - 2)}😀 and more words`;

    const feed = await parseFeed(rss(item(title, 'https://news.example/long-title')), FEED_URL);

    const kept = feed.entries[0]?.title ?? '';
    expect(kept.length).toBeLessThanOrEqual(TITLE_MAX_CHARS);
    expect(kept).toBe(`${'a'.repeat(TITLE_MAX_CHARS - 2)}…`);
  });

  it(`keeps at most ${CATEGORIES_MAX} categories of at most ${CATEGORY_MAX_CHARS} characters`, async () => {
    const categories = Array.from({ length: 80 }, (_, i) => `<category>${i === 0 ? 'c'.repeat(500) : `topic ${i}`}</category>`).join('');

    const feed = await parseFeed(rss(item('Tagged', 'https://news.example/tagged', 'x', categories)), FEED_URL);

    const kept = feed.entries[0]?.categories ?? [];
    expect(kept).toHaveLength(CATEGORIES_MAX);
    expect(kept[0]).toBe(`${'c'.repeat(CATEGORY_MAX_CHARS - 1)}…`);
    expect(kept[1]).toBe('topic 1');
  });

  it(`cuts the text of an entry to ${TEXT_MAX_CHARS.toLocaleString('en')} characters`, async () => {
    const body = `<p>${'word '.repeat(60_000)}</p>`;

    const feed = await parseFeed(rss(item('Long read', 'https://news.example/long', body)), FEED_URL);

    const text = feed.entries[0]?.text ?? '';
    expect(text.length).toBeLessThanOrEqual(TEXT_MAX_CHARS);
    expect(text.length).toBeGreaterThan(TEXT_MAX_CHARS - 10);
    expect(text.endsWith('…')).toBe(true);
  });

  it(`drops (and counts) an entry whose link is longer than ${LINK_MAX_CHARS} characters, keeping the others`, async () => {
    const long = `https://news.example/${'x'.repeat(LINK_MAX_CHARS)}`;

    const feed = await parseFeed(rss(item('Long link', long) + normal), FEED_URL);

    expect(feed.entries.map((e) => e.title)).toEqual(['JAXA reports intrusion']);
    expect(feed.dropped).toBe(1);
  });

  it(`hashes a guid longer than ${GUID_MAX_CHARS} characters`, async () => {
    const xml = rss(`<item><title>Guid only</title><guid isPermaLink="false">${'g'.repeat(GUID_MAX_CHARS + 1)}</guid></item>`);

    const feed = await parseFeed(xml, FEED_URL);

    expect(feed.entries[0]?.guid).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(feed.entries[0]?.key).toBe(`guid:${FEED_URL} ${feed.entries[0]?.guid}`);
  });

  it(`gives every entry a key of at most ${KEY_MAX_BYTES} UTF-8 bytes, hashing longer ones`, async () => {
    const longLink = `https://news.example/${'ニュース'.repeat(30)}`; // 1,101 characters once percent-encoded
    const xml = rss(`${item('Long key', longLink)}<item><title>${'宇宙航空'.repeat(200)}</title></item>${normal}`);

    const feed = await parseFeed(xml, FEED_URL);

    const [linked, titled, plain] = feed.entries;
    expect(linked?.key).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(titled?.key).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(linked?.key).not.toBe(titled?.key);
    expect(plain?.key).toBe('https://news.example/jaxa');
    for (const e of feed.entries) expect(Buffer.byteLength(e.key)).toBeLessThanOrEqual(KEY_MAX_BYTES);
  });
});
