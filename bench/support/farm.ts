// A local feed farm for the bench scripts: one node:http server on 127.0.0.1 (a free port) serving
// feeds by path. Each route holds a body and an ETag; a request carrying the matching If-None-Match
// gets 304, as a real publisher's server would answer. Every request is logged with its time, so a
// script can tell when a child process started polling.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface FarmRoute {
  body: Buffer | string;
  etag?: string;
  contentType?: string;
}

interface FarmRequest {
  path: string;
  at: number;
  status: number;
}

export interface Farm {
  origin: string;
  url(path: string): string;
  set(path: string, route: FarmRoute): void;
  requests: FarmRequest[];
  /** Called on every request (after it is logged); set and clear it freely. */
  onRequest?: (request: FarmRequest) => void;
  close(): Promise<void>;
}

export async function startFarm(): Promise<Farm> {
  const routes = new Map<string, FarmRoute>();
  const requests: FarmRequest[] = [];
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routes.get(path);
    const log = (status: number) => {
      const request = { path, at: performance.now(), status };
      requests.push(request);
      farm.onRequest?.(request);
    };
    if (!route) {
      log(404);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const headers: Record<string, string> = { 'content-type': route.contentType ?? 'application/rss+xml; charset=utf-8' };
    if (route.etag) {
      headers.etag = route.etag;
      if (req.headers['if-none-match'] === route.etag) {
        log(304);
        res.writeHead(304, headers).end();
        return;
      }
    }
    const body = typeof route.body === 'string' ? Buffer.from(route.body) : route.body;
    headers['content-length'] = String(body.length);
    log(200);
    res.writeHead(200, headers).end(body);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const farm: Farm = {
    origin,
    url: (path) => `${origin}${path}`,
    set: (path, route) => void routes.set(path, route),
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
  return farm;
}

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface FarmItem {
  title: string;
  link?: string;
  /** Written as is (already escaped XML text) when `rawDescription` is set; else escaped here. */
  description?: string;
  rawDescription?: boolean;
  /** Written as is (already escaped XML text) when `rawTitle` is set. */
  rawTitle?: boolean;
  pubDate?: Date;
  guid?: string;
}

/** RSS 2.0 bytes, every text XML-escaped unless the item says it is raw (hostile cases). */
export function rssFeed(channelTitle: string, items: readonly FarmItem[]): string {
  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n',
    `<title>${escapeXml(channelTitle)}</title>\n<link>https://farm.example/</link>\n<description>bench feed</description>\n`,
  ];
  for (const item of items) {
    parts.push('<item>');
    parts.push(`<title>${item.rawTitle ? item.title : escapeXml(item.title)}</title>`);
    if (item.link !== undefined) parts.push(`<link>${escapeXml(item.link)}</link>`);
    if (item.description !== undefined) parts.push(`<description>${item.rawDescription ? item.description : escapeXml(item.description)}</description>`);
    if (item.pubDate) parts.push(`<pubDate>${item.pubDate.toUTCString()}</pubDate>`);
    if (item.guid) parts.push(`<guid isPermaLink="false">${escapeXml(item.guid)}</guid>`);
    parts.push('</item>\n');
  }
  parts.push('</channel>\n</rss>\n');
  return parts.join('');
}
