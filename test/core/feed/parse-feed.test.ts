import { describe, expect, it } from 'vitest';
import { FeedError } from '../../../lambda/core/errors/feed-error.ts';
import { parseFeed } from '../../../lambda/core/feed/parse-feed.ts';
import { feedFixture } from '../../support/feed-server.ts';

const utf8 = (name: string): string => feedFixture(name).toString('utf8');

async function failureOf(xml: string): Promise<FeedError> {
  try {
    await parseFeed(xml, 'https://example.com/feed.xml');
  } catch (err) {
    if (err instanceof FeedError) return err;
    throw err;
  }
  throw new Error('parseFeed accepted the document');
}

describe('parseFeed', () => {
  it('reads an RSS 2.0 feed in Japanese, NFKC-normalized, with HTML and scripts removed', async () => {
    // Act
    const feed = await parseFeed(utf8('nhk-cat0.xml'), 'https://www3.nhk.or.jp/rss/news/cat0.xml');

    // Assess
    expect(feed.title).toBe('NHKニュース');
    expect(feed.entries).toHaveLength(3);
    const [jaxa, stocks] = feed.entries;
    expect(jaxa?.title).toBe('JAXAにサイバー攻撃 中国人民解放軍の関与指摘');
    expect(jaxa?.text).toContain('宇宙航空研究開発機構(JAXA)');
    expect(jaxa?.text).toContain('「61419部隊」');
    expect(jaxa?.url).toBe('http://www3.nhk.or.jp/news/html/20240514/k10014449901000.html?utm_source=rss&utm_medium=feed');
    expect(jaxa?.key).toBe('http://www3.nhk.or.jp/news/html/20240514/k10014449901000.html');
    expect(jaxa?.publishedAt).toBe('2024-05-14T02:54:21.000Z');
    expect(stocks?.text).toBe('14日の東京株式市場、日経平均株価は値上がりしています。');
    expect(feed.dropped).toBe(0);
  });

  it('reads an RSS 1.0 (RDF) feed with dc:date and dc:subject', async () => {
    const feed = await parseFeed(utf8('jpcert-rdf.xml'), 'https://www.jpcert.or.jp/rss/jpcert.rdf');

    expect(feed.title).toBe('JPCERT/CC');
    expect(feed.entries.map((e) => e.title)).toEqual([
      'Tick (BRONZE BUTLER) による攻撃に関する注意喚起',
      'JPCERT/CC WEEKLY REPORT 2024-05-15',
    ]);
    expect(feed.entries[0]?.categories).toEqual(['注意喚起', 'APT']);
    expect(feed.entries[0]?.publishedAt).toBe('2024-05-14T01:00:00.000Z');
    expect(feed.entries[0]?.url).toBe('https://www.jpcert.or.jp/at/2024/at240012.html');
  });

  it('reads an Atom 1.0 feed: HTML titles as text, relative links resolved, the fuller body kept', async () => {
    const feed = await parseFeed(utf8('therecord-atom.xml'), 'https://therecord.media/feed/atom');

    const [jaxa, ransomware] = feed.entries;
    expect(jaxa?.title).toBe('Japan’s space agency JAXA hit by PLA-linked hackers');
    expect(jaxa?.url).toBe('https://therecord.media/japan-jaxa-cyberattack-unit-61419#comments');
    expect(jaxa?.key).toBe('https://therecord.media/japan-jaxa-cyberattack-unit-61419');
    expect(jaxa?.text).toBe(
      'Tokyo police said on Tuesday that Unit 61419 of the People’s Liberation Army was behind the intrusions at JAXA. The group is also known as Tick.',
    );
    expect(jaxa?.categories).toEqual(['Nation-state', 'Government']);
    expect(jaxa?.publishedAt).toBe('2024-05-14T14:22:00.000Z');
    expect(ransomware?.publishedAt).toBe('2024-05-13T09:00:00.000Z');
    expect(ransomware?.text).toBe('A ransomware group listed the hospital operator on its leak site.');
  });

  it('reads an RSS 0.91 feed that carries the Netscape DOCTYPE', async () => {
    const feed = await parseFeed(utf8('netscape-rss091.xml'), 'http://example.net/rss.xml');

    expect(feed.entries.map((e) => e.title)).toEqual(['Worm spreads through mail servers']);
  });

  it('keeps every entry when one has an unreadable date, and drops only the entry with no identity', async () => {
    const feed = await parseFeed(utf8('bad-date-rss.xml'), 'https://www.securityweek.com/feed/');

    expect(feed.entries.map((e) => [e.title, e.publishedAt])).toEqual([
      ['Tick group targets defense contractors', '2024-05-13T14:10:00.000Z'],
      ['Patch Tuesday roundup', undefined],
      ['Chinese APT abuses cloud storage', '2024-05-12T08:00:00.000Z'],
    ]);
    expect(feed.dropped).toBe(1);
  });

  it('keeps an Atom entry whose published date is unreadable, dated by its updated time', async () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><title>Good</title><id>urn:1</id><updated>2024-05-01T00:00:00Z</updated></entry>
      <entry><title>Odd date</title><id>urn:2</id><published>yesterday-ish</published><updated>2024-05-02T00:00:00Z</updated></entry>
      <entry><title>No date at all</title><id>urn:3</id><published>??</published></entry></feed>`;

    const feed = await parseFeed(xml, 'https://example.com/atom');

    expect(feed.entries.map((e) => [e.title, e.publishedAt])).toEqual([
      ['Good', '2024-05-01T00:00:00.000Z'],
      ['Odd date', '2024-05-02T00:00:00.000Z'],
      ['No date at all', undefined],
    ]);
  });

  it('keys an entry without a link by the feed URL and its guid, and never keeps a javascript: link', async () => {
    const feedUrl = 'https://english.kyodonews.net/rss/news.xml';
    const feed = await parseFeed(utf8('no-link-rss.xml'), feedUrl);

    const [flash, stocks, suspicious] = feed.entries;
    expect(flash?.url).toBeUndefined();
    expect(flash?.key).toBe(`guid:${feedUrl} kyodo-flash-2024-05-14-0001`);
    expect(stocks?.key).toBe('https://english.kyodonews.net/news/2024/05/stocks.html');
    expect(suspicious?.url).toBeUndefined();
    expect(suspicious?.key).toBe(`guid:${feedUrl} kyodo-2024-05-14-0003`);
  });

  it('refuses an HTML page as not a feed', async () => {
    expect((await failureOf(utf8('nikkei-like.html'))).kind).toBe('not-a-feed');
  });

  it.each([['plain text'], ['{"items": []}'], [''], ['<html><body><p>hello</p></body></html>']])(
    'refuses %j as not a feed',
    async (text) => {
      expect((await failureOf(text)).kind).toBe('not-a-feed');
    },
  );

  it('refuses a billion-laughs entity bomb without expanding it', async () => {
    const error = await failureOf(utf8('billion-laughs.xml'));

    expect(error.kind).toBe('unsafe-xml');
  });

  it('refuses a billion-laughs bomb padded with a megabyte of items without reading past the prolog', async () => {
    // Prepare: the bomb's prolog followed by a large body; parsing the body would be slow.
    const bomb = utf8('billion-laughs.xml');
    const padded = bomb.replace('</channel>', `${'<item><title>x</title></item>'.repeat(40_000)}</channel>`);

    // Act / Assess: refused with the same kind; no expansion, so no memory blow-up.
    expect((await failureOf(padded)).kind).toBe('unsafe-xml');
  });

  it('refuses an external entity (XXE)', async () => {
    expect((await failureOf(utf8('xxe.xml'))).kind).toBe('unsafe-xml');
  });

  it('refuses a reference to an external DTD', async () => {
    expect((await failureOf(utf8('external-dtd.xml'))).kind).toBe('unsafe-xml');
  });

  it('refuses a parameter entity hidden after a quoted bracket in the internal subset', async () => {
    const xml = '<?xml version="1.0"?><!DOCTYPE rss [<!ATTLIST rss x CDATA "]"><!ENTITY % p SYSTEM "http://10.0.0.1/x">%p;]><rss version="2.0"><channel/></rss>';
    expect((await failureOf(xml)).kind).toBe('unsafe-xml');
  });

  it('refuses a DOCTYPE written in lower case just the same', async () => {
    const xml = '<!doctype rss [<!entity a "b">]><rss version="2.0"><channel><title>&a;</title></channel></rss>';
    expect((await failureOf(xml)).kind).toBe('unsafe-xml');
  });

  it('accepts an article that talks about entities inside its CDATA', async () => {
    const xml = `<rss version="2.0"><channel><title>t</title><item><title>XXE explained</title><link>https://example.com/xxe</link>
      <description><![CDATA[<p>Attackers write <code>&lt;!DOCTYPE x [&lt;!ENTITY e SYSTEM "file:///etc/passwd"&gt;]&gt;</code></p>]]></description></item></channel></rss>`;

    const feed = await parseFeed(xml, 'https://example.com/feed');

    expect(feed.entries[0]?.text).toBe('Attackers write <!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>');
  });

  it('strips a leading byte-order mark', async () => {
    const feed = await parseFeed(`\uFEFF${utf8('netscape-rss091.xml')}`, 'http://example.net/rss.xml');
    expect(feed.entries).toHaveLength(1);
  });
});
