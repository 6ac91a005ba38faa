import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What the server answers on one path. Everything is optional: `{}` is an empty 200. */
export interface Route {
  /** @default 200, or 302 with `redirect` */
  status?: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Compress the body and send Content-Encoding (`gzip: true` is short for `encoding: 'gzip'`). */
  gzip?: boolean;
  encoding?: 'gzip' | 'deflate' | 'br';
  /** Send the body without Content-Length (chunked). */
  chunked?: boolean;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Send the head and the body, then never finish the response. */
  neverEnd?: boolean;
  /** Answer with a redirect to this Location (relative or absolute). */
  redirect?: string;
  /** Validators: sent on 200s; a request carrying a matching If-None-Match / If-Modified-Since gets 304. */
  etag?: string;
  lastModified?: string;
}

export type RouteHandler = Route | ((request: RecordedRequest) => Route);

interface RecordedRequest {
  method: string;
  /** Path with query, as requested. */
  path: string;
  headers: IncomingHttpHeaders;
}

export interface FeedServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  port: number;
  /** Absolute URL of a path on this server. */
  url(path: string): string;
  /** Adds or replaces a route. */
  route(path: string, handler: RouteHandler): void;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** How many requests a path (without query) received. */
  count(path: string): number;
  /** Stops the server, cutting any response still open. */
  close(): Promise<void>;
}

function encode(body: Buffer, encoding: Route['encoding']): Buffer {
  if (encoding === 'gzip') return zlib.gzipSync(body);
  if (encoding === 'deflate') return zlib.deflateSync(body);
  if (encoding === 'br') return zlib.brotliCompressSync(body);
  return body;
}

/**
 * A small feed server on 127.0.0.1 (a free port) for tests: routes by path (exact path with query
 * first, then the path alone), serves real bytes, records every request's headers. Unknown paths
 * get 404.
 */
export async function startFeedServer(routes: Record<string, RouteHandler> = {}): Promise<FeedServer> {
  const table = new Map<string, RouteHandler>(Object.entries(routes));
  const requests: RecordedRequest[] = [];

  const server = http.createServer((req, res) => {
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers };
    requests.push(recorded);
    const pathname = recorded.path.split('?')[0] ?? '/';
    const handler = table.get(recorded.path) ?? table.get(pathname);
    const route: Route | undefined = typeof handler === 'function' ? handler(recorded) : handler;
    const answer = (): void => {
      if (!route) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const headers: Record<string, string> = { ...route.headers };
      if (route.etag) headers.etag = route.etag;
      if (route.lastModified) headers['last-modified'] = route.lastModified;
      const inm = req.headers['if-none-match'];
      const ims = req.headers['if-modified-since'];
      if ((route.etag && inm === route.etag) || (route.lastModified && ims === route.lastModified)) {
        res.writeHead(304, headers).end();
        return;
      }
      if (route.redirect !== undefined) {
        res.writeHead(route.status ?? 302, { ...headers, location: route.redirect }).end();
        return;
      }
      const encoding = route.encoding ?? (route.gzip ? 'gzip' : undefined);
      const raw = typeof route.body === 'string' ? Buffer.from(route.body) : (route.body ?? Buffer.alloc(0));
      const body = encode(raw, encoding);
      if (encoding) headers['content-encoding'] = encoding;
      if (!route.chunked && !route.neverEnd) headers['content-length'] = String(body.length);
      res.writeHead(route.status ?? 200, headers);
      if (route.neverEnd) {
        res.write(body);
        return;
      }
      if (route.chunked) {
        for (let i = 0; i < body.length; i += 64 * 1024) res.write(body.subarray(i, i + 64 * 1024));
        res.end();
        return;
      }
      res.end(body);
    };
    if (route?.delayMs) setTimeout(answer, route.delayMs);
    else answer();
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    port,
    url: (path) => new URL(path, origin).href,
    route: (path, handler) => void table.set(path, handler),
    requests,
    count: (path) => requests.filter((r) => (r.path.split('?')[0] ?? '') === path).length,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** The bytes of a fixture under test/fixtures/feeds/, exactly as committed. */
export function feedFixture(name: string): Buffer {
  return readFileSync(fileURLToPath(new URL(`../fixtures/feeds/${name}`, import.meta.url)));
}
