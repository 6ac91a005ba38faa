import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../lambda/core/feed/parse-feed.ts';

const FEED_URL = 'https://news.example/feed.xml';
const head = '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>News</title>';
const item = (n: number) => `<item><title>Story ${n}</title><link>https://news.example/${n}</link></item>`;

describe('a document that is not well-formed', () => {
  it('needs no repair when it is well-formed', async () => {
    const feed = await parseFeed(`${head}${item(1)}</channel></rss>`, FEED_URL);

    expect(feed.repaired).toBeUndefined();
    expect(feed.dropped).toBe(0);
  });

  it('keeps every complete item of a document cut off inside an item, and drops the cut one', async () => {
    const feed = await parseFeed(`${head}${item(1)}${item(2)}<item><title>Story 3</title><link>https://news.exa`, FEED_URL);

    expect(feed.entries.map((e) => [e.title, e.url])).toEqual([
      ['Story 1', 'https://news.example/1'],
      ['Story 2', 'https://news.example/2'],
    ]);
    expect(feed.dropped).toBe(1);
    expect(feed.repaired).toBe('the document ends inside <link>');
  });

  it('reads a document whose last end tag has no ">"', async () => {
    const feed = await parseFeed(`${head}${item(1)}</channel></rss`, FEED_URL);

    expect(feed.entries.map((e) => e.title)).toEqual(['Story 1']);
    expect(feed.repaired).toBe('the document ends inside <rss>');
  });

  it('drops an item whose title is never closed, and keeps the items around it', async () => {
    const broken = '<item><title>Story 2</titel><link>https://news.example/2</link></item>';

    const feed = await parseFeed(`${head}${item(1)}${broken}${item(3)}</channel></rss>`, FEED_URL);

    expect(feed.entries.map((e) => e.title)).toEqual(['Story 1', 'Story 3']);
    expect(feed.dropped).toBe(1);
    expect(feed.repaired).toBe('<title> is never closed');
  });

  it('keeps an item missing its own end tag, and the items that follow it', async () => {
    const open = '<item><title>Story 2</title><link>https://news.example/2</link>';

    const feed = await parseFeed(`${head}${item(1)}${open}${item(3)}${item(4)}</channel></rss>`, FEED_URL);

    expect(feed.entries.map((e) => e.title)).toEqual(['Story 1', 'Story 2', 'Story 3', 'Story 4']);
    expect(feed.dropped).toBe(0);
    expect(feed.repaired).toBe('<item> is never closed');
  });

  it('reads a bare & as text, in a title and in a link', async () => {
    const feed = await parseFeed(`${head}<item><title>R&D at JAXA</title><link>https://news.example/?a=1&b=2</link></item></channel></rss>`, FEED_URL);

    expect(feed.entries[0]?.title).toBe('R&D at JAXA');
    expect(feed.entries[0]?.url).toBe('https://news.example/?a=1&b=2');
    expect(feed.repaired).toBe('a bare "&" (read as text)');
  });

  it('names at most three problems, each once', async () => {
    const xml = `${head}<item><title>a&nbsp;b&nbsp;c&eacute;&mdash;&hellip;</title><link>https://news.example/1</link></item></channel></rss>`;

    const feed = await parseFeed(xml, FEED_URL);

    expect(feed.repaired).toBe(
      'entity &nbsp; is not defined in XML (read as HTML defines it); ' +
        'entity &eacute; is not defined in XML (read as HTML defines it); ' +
        'entity &mdash; is not defined in XML (read as HTML defines it)',
    );
  });
});
