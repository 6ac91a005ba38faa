// The local publisher of bench/freshness.ts: one node:http server on 127.0.0.1 serving many feeds
// with ETags (a 304 when nothing changed, as real servers answer), recording when each feed was
// fetched. A feed with a hub is Atom naming the hub and itself (rel="hub", rel="self"), and each new
// story is handed to the hub at once, as a publisher's ping would make a hub fetch and distribute it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { rss } from '../../test/e2e/support/rss.ts';

export interface Story {
  /** `q<feed>s<n>`: unique, and a word of the title, so a digest's text names it. */
  id: string;
  feed: number;
  title: string;
  link: string;
  /** Wall-clock ms when the publisher put it in its feed. */
  publishedAt: number;
}

export interface PublishedFeed {
  index: number;
  path: string;
  /** The hub this feed names, if any. */
  hub?: string;
  /** An RSS `<ttl>` in minutes, if any: the interval a feed without history is polled at (docs/scheduling.md). */
  ttlMinutes?: number;
  stories: Story[];
  /** Bumped on every change: the ETag. */
  version: number;
  /** Wall-clock ms of each GET this feed received. */
  fetchedAt: number[];
}

export interface Publisher {
  origin: string;
  feeds: PublishedFeed[];
  url(feed: PublishedFeed): string;
  /** Puts a story at the top of the feed (the 20 newest are served). */
  publish(feed: PublishedFeed, story: Story): void;
  body(feed: PublishedFeed): string;
  close(): Promise<void>;
}

/** Stories a feed document carries, newest first. */
const SERVED = 20;

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function atom(title: string, selfUrl: string, hub: string, stories: readonly Story[]): string {
  const entries = stories
    .map((s) => {
      const at = new Date(s.publishedAt).toISOString();
      return `<entry><title>${escapeXml(s.title)}</title><link href="${escapeXml(s.link)}"/><id>${escapeXml(s.link)}</id><updated>${at}</updated><summary>Story ${s.id} of the freshness bench.</summary></entry>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>${escapeXml(title)}</title><id>${escapeXml(selfUrl)}</id><updated>${new Date().toISOString()}</updated>
<link rel="hub" href="${escapeXml(hub)}"/><link rel="self" href="${escapeXml(selfUrl)}"/>
${entries}
</feed>
`;
}

/**
 * `feeds` feeds at /f000.xml …; `hubFor(i)` names the hub of feed i (undefined: polled only), and
 * `ttlFor(i)` the `<ttl>` of a polled one.
 */
export async function startPublisher(
  feedCount: number,
  hubFor: (index: number) => string | undefined,
  ttlFor: (index: number) => number | undefined = () => undefined,
): Promise<Publisher> {
  const feeds: PublishedFeed[] = Array.from({ length: feedCount }, (_, index) => {
    const hub = hubFor(index);
    const ttl = hub ? undefined : ttlFor(index);
    return { index, path: `/f${String(index).padStart(3, '0')}.xml`, ...(hub ? { hub } : {}), ...(ttl ? { ttlMinutes: ttl } : {}), stories: [], version: 1, fetchedAt: [] };
  });
  const byPath = new Map(feeds.map((f) => [f.path, f]));
  let origin = '';
  const url = (feed: PublishedFeed) => `${origin}${feed.path}`;
  const body = (feed: PublishedFeed) => {
    const served = feed.stories.slice(0, SERVED);
    const title = `Bench wire ${feed.index}`;
    if (feed.hub) return atom(title, url(feed), feed.hub, served);
    const document = rss(
      title,
      served.map((s) => ({ title: s.title, link: s.link, description: `Story ${s.id} of the freshness bench.`, pubDate: new Date(s.publishedAt), guid: s.link })),
    );
    // The channel's description comes first in rss()'s output: the ttl goes right after it.
    return feed.ttlMinutes ? document.replace('<description>test feed</description>', `<description>test feed</description>\n    <ttl>${feed.ttlMinutes}</ttl>`) : document;
  };
  const server = http.createServer((req, res) => {
    const feed = byPath.get((req.url ?? '/').split('?')[0] ?? '/');
    if (!feed || req.method !== 'GET') return void res.writeHead(404).end();
    feed.fetchedAt.push(Date.now());
    const etag = `"v${feed.version}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    const type = feed.hub ? 'application/atom+xml; charset=utf-8' : 'application/rss+xml; charset=utf-8';
    res.writeHead(200, { 'content-type': type, etag }).end(body(feed));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    feeds,
    url,
    body,
    publish: (feed, story) => {
      feed.stories.unshift(story);
      feed.version += 1;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
