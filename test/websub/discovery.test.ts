import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpFeedFetcher } from '../../lambda/adapters/http/http-feed-fetcher.ts';
import { parseFeed } from '../../lambda/core/feed/parse-feed.ts';
import { discoverWebSub } from '../../lambda/core/websub/discovery.ts';
import { parseLinkHeader } from '../../lambda/core/websub/link-header.ts';
import { type FeedServer, startFeedServer } from '../support/feed-server.ts';

// Where a feed says it is pushed from (W3C WebSub §4; docs/feeds.md, "Push (WebSub)").

const FEED_URL = 'https://news.example/feed.xml';

const atom = (links: string) => `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>${links}
  <entry><title>JAXA story</title><link href="https://news.example/a"/><id>https://news.example/a</id><updated>2026-12-01T00:00:00Z</updated></entry>
</feed>`;

const rss = (links: string, ns = 'xmlns:atom="http://www.w3.org/2005/Atom"') => `<?xml version="1.0"?>
<rss version="2.0" ${ns}><channel><title>Wire</title><link>https://news.example/</link>${links}
  <item><title>JAXA story</title><link>https://news.example/a</link></item>
</channel></rss>`;

describe('hubs named in the document', () => {
  it('reads an Atom feed\'s hub and self links', async () => {
    const parsed = await parseFeed(atom('<link rel="hub" href="https://hub.example/"/><link rel="self" href="https://news.example/self.xml"/>'), FEED_URL);
    expect(parsed.websub).toEqual({ hubs: ['https://hub.example/'], self: 'https://news.example/self.xml' });
  });

  it('reads atom:link hub and self inside an RSS channel, as WordPress writes them', async () => {
    const parsed = await parseFeed(rss('<atom:link rel="hub" href="https://pubsubhubbub.appspot.com"/><atom:link href="https://news.example/feed/" rel="self" type="application/rss+xml"/>'), FEED_URL);
    expect(parsed.websub).toEqual({ hubs: ['https://pubsubhubbub.appspot.com/'], self: 'https://news.example/feed/' });
  });

  it('reads a plain <link rel="hub" href> in an RSS channel and keeps the site link', async () => {
    const parsed = await parseFeed(rss('<link rel="hub" href="https://hub.example/push"/>'), FEED_URL);
    expect(parsed.websub).toEqual({ hubs: ['https://hub.example/push'] });
    expect(parsed.siteUrl).toBe('https://news.example/');
  });

  it('resolves relative hub links and reads a rel attribute listing several types', async () => {
    const parsed = await parseFeed(atom('<link rel="self hub" href="/hub"/>'), FEED_URL);
    expect(parsed.websub).toEqual({ hubs: ['https://news.example/hub'], self: 'https://news.example/hub' });
  });

  it('refuses hubs that are not http(s) or longer than 2,048 characters, and keeps at most four', async () => {
    const long = `https://hub.example/${'a'.repeat(2_100)}`;
    const hubs = ['javascript:alert(1)', 'file:///etc/passwd', long, ...[1, 2, 3, 4, 5].map((n) => `https://hub${n}.example/`)];
    const parsed = await parseFeed(atom(hubs.map((h) => `<link rel="hub" href="${h}"/>`).join('')), FEED_URL);
    expect(parsed.websub?.hubs).toEqual([1, 2, 3, 4].map((n) => `https://hub${n}.example/`));
  });

  it('says nothing when the feed names no hub', async () => {
    const parsed = await parseFeed(atom('<link rel="self" href="https://news.example/self.xml"/>'), FEED_URL);
    expect(parsed.websub).toBeUndefined();
  });
});

describe('HTTP Link headers', () => {
  it('reads several links in one header, quoted and bare rel values, and a rel list', () => {
    const links = parseLinkHeader(['<https://hub.example/>; rel="hub", </feed.xml>; rel=self; title="a, b; c", <https://other.example/>; rel="hub alternate"'], FEED_URL);
    expect(links).toEqual([
      { href: 'https://hub.example/', rels: ['hub'] },
      { href: 'https://news.example/feed.xml', rels: ['self'] },
      { href: 'https://other.example/', rels: ['hub', 'alternate'] },
    ]);
  });

  it('counts only the first rel parameter of a link and skips a link whose target is not a URL', () => {
    const links = parseLinkHeader(['<https://hub.example/>; rel="hub"; rel="self", <http://[bad>; rel=hub'], FEED_URL);
    expect(links).toEqual([{ href: 'https://hub.example/', rels: ['hub'] }]);
  });

  it('lets the header\'s hubs win over the document\'s, as the spec orders them', () => {
    const found = discoverWebSub({ hubs: ['https://header-hub.example/'] }, { hubs: ['https://doc-hub.example/'], self: 'https://news.example/self' });
    expect(found).toEqual({ hubs: ['https://header-hub.example/'], self: 'https://news.example/self' });
    expect(discoverWebSub(undefined, { hubs: ['https://doc-hub.example/'] })).toEqual({ hubs: ['https://doc-hub.example/'] });
    expect(discoverWebSub({ hubs: [] }, undefined)).toBeUndefined();
  });

  describe('from the fetcher', () => {
    let server: FeedServer;
    beforeAll(async () => {
      server = await startFeedServer({
        '/linked.xml': {
          body: atom(''),
          headers: { 'content-type': 'application/atom+xml', link: '<https://hub.example/>; rel="hub", <https://news.example/canonical.xml>; rel="self", <ftp://hub.example/>; rel=hub' },
          etag: '"v1"',
        },
      });
    });
    afterAll(async () => server.close());

    it('reports the hubs and self of the Link headers on a 200 and on a 304', async () => {
      const fetcher = new HttpFeedFetcher();
      const options = { timeoutMs: 5_000, maxBytes: 1_000_000, allowPrivateNetworks: true };
      const ok = await fetcher.fetch(server.url('/linked.xml'), {}, options);
      const notModified = await fetcher.fetch(server.url('/linked.xml'), { etag: '"v1"' }, options);
      const expected = { hubs: ['https://hub.example/'], self: 'https://news.example/canonical.xml' };
      expect(ok.kind === 'ok' && ok.websub).toEqual(expected);
      expect(notModified.kind === 'not-modified' && notModified.websub).toEqual(expected);
    });
  });
});
