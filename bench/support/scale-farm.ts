// The feed farm of bench/scale.ts: one node:http server on 127.0.0.1 serving N feeds whose content
// follows a simulated clock. Each feed has a shape: how often it posts (its items are published at
// phase + k × gap), whether it answers conditional requests (ETag → 304), whether it is slow (answers
// after SLOW_MS of real time) or failing (500). Items published at or after the run's start carry
// the word "Newsflash" (so every story posted during the run is a hit for the wire subscriber, and the
// delay from publication to hit can be measured); older ones do not.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Shape = 'every-5-min' | 'every-30-min' | 'hourly' | 'hourly-no-etag' | 'daily' | 'quiet' | 'no-etag' | 'slow' | 'failing';

/** How often each shape posts; quiet, no-etag and slow feeds post weekly (none inside a short run). */
const GAP_MINUTES: Record<Shape, number> = {
  'every-5-min': 5,
  'every-30-min': 30,
  hourly: 60,
  'hourly-no-etag': 60,
  daily: 1440,
  quiet: 7 * 1440,
  'no-etag': 7 * 1440,
  slow: 7 * 1440,
  failing: 7 * 1440,
};

/** Shapes whose stories must reach their hit within the feed's own gap (the "fast feeds"). */
export const FAST_SHAPES: readonly Shape[] = ['every-5-min', 'every-30-min', 'hourly', 'hourly-no-etag'];
/** Shapes the adaptive schedule must poll ≥ 5× less often than every 10 minutes. */
export const SLOW_SHAPES: readonly Shape[] = ['daily', 'quiet', 'no-etag', 'slow'];

/** Share of the farm per shape; `quiet` takes the rest, `slow` is a count (see farmShapes). */
const SHARES: Array<[Shape, number]> = [
  ['every-5-min', 0.005],
  ['every-30-min', 0.01],
  ['hourly', 0.02],
  // A server that ignores conditional requests: every poll between its posts is a 200 with nothing new.
  ['hourly-no-etag', 0.01],
  ['daily', 0.02],
  ['no-etag', 0.02],
  ['failing', 0.01],
];
/** One slow feed per thousand, at least one and at most 20: each holds a worker for SLOW_MS. */
const slowCount = (feeds: number) => Math.min(20, Math.max(1, Math.round(feeds / 1000)));
const SLOW_MS = 10_000;
/** Entries in each document: enough history (≥ 3 gaps) for a rhythm at the first poll. */
const ITEMS_PER_DOCUMENT = 6;

export interface FarmFeed {
  index: number;
  path: string;
  shape: Shape;
  gapMs: number;
  /** Item k is published at start + phaseMs + k × gapMs. */
  phaseMs: number;
}

export interface ScaleFarm {
  feeds: FarmFeed[];
  url(feed: FarmFeed): string;
  /** Responses by status (200, 304, 500). */
  responses: Record<number, number>;
  /** Publication times (ms) of the items a feed published in [from, to]. */
  publishedBetween(feed: FarmFeed, from: number, to: number): number[];
  close(): Promise<void>;
}

/** A seeded PRNG (mulberry32): the same seed gives the same farm. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function farmShapes(count: number, random: () => number): Shape[] {
  const shapes: Shape[] = [];
  for (const [shape, share] of SHARES) for (let i = 0; i < Math.max(1, Math.round(count * share)); i++) shapes.push(shape);
  for (let i = 0; i < slowCount(count); i++) shapes.push('slow');
  while (shapes.length < count) shapes.push('quiet');
  shapes.length = count;
  // Shuffled, so shapes do not line up with feed numbers (or due-index shards).
  for (let i = shapes.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shapes[i], shapes[j]] = [shapes[j]!, shapes[i]!];
  }
  return shapes;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export async function startScaleFarm(options: { feeds: number; start: number; now: () => number; seed?: number }): Promise<ScaleFarm> {
  const random = seeded(options.seed ?? 10);
  const feeds: FarmFeed[] = farmShapes(options.feeds, random).map((shape, index) => {
    const gapMs = GAP_MINUTES[shape] * MINUTE_MS;
    // Posting feeds: the first item of the run comes within one gap (whole minutes). Weekly ones:
    // their last item was 1 to 6 days before the start, so the next comes 1 to 6 days after it.
    const phaseMs = gapMs < 7 * DAY_MS ? Math.floor(random() * GAP_MINUTES[shape]) * MINUTE_MS : -Math.floor((1 + random() * 5) * 1440) * MINUTE_MS;
    return { index, path: `/feed-${index}.xml`, shape, gapMs, phaseMs };
  });
  const byPath = new Map(feeds.map((feed) => [feed.path, feed]));
  const latestK = (feed: FarmFeed, at: number) => Math.floor((at - options.start - feed.phaseMs) / feed.gapMs);
  const published = (feed: FarmFeed, k: number) => options.start + feed.phaseMs + k * feed.gapMs;
  const cache = new Map<number, { k: number; body: Buffer }>();
  const document = (feed: FarmFeed, k: number): Buffer => {
    const hit = cache.get(feed.index);
    if (hit?.k === k) return hit.body;
    const body = Buffer.from(rss(feed, k, published, options.start));
    cache.set(feed.index, { k, body });
    return body;
  };
  const responses: Record<number, number> = {};
  const answer = (res: http.ServerResponse, status: number, headers: Record<string, string>, body?: Buffer) => {
    responses[status] = (responses[status] ?? 0) + 1;
    if (body) headers['content-length'] = String(body.length);
    res.writeHead(status, headers).end(body);
  };

  const server = http.createServer((req, res) => {
    const feed = byPath.get((req.url ?? '/').split('?')[0] ?? '/');
    if (!feed) return answer(res, 404, { 'content-type': 'text/plain' }, Buffer.from('not found'));
    if (feed.shape === 'failing') return answer(res, 500, { 'content-type': 'text/plain' }, Buffer.from('internal error'));
    const respond = () => {
      const k = latestK(feed, options.now());
      const headers: Record<string, string> = { 'content-type': 'application/rss+xml; charset=utf-8' };
      if (feed.shape !== 'no-etag' && feed.shape !== 'hourly-no-etag') {
        headers.etag = `"${feed.index}-${k}"`;
        if (req.headers['if-none-match'] === headers.etag) return answer(res, 304, headers);
      }
      answer(res, 200, headers, document(feed, k));
    };
    if (feed.shape === 'slow') setTimeout(respond, SLOW_MS);
    else respond();
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    feeds,
    url: (feed) => `http://127.0.0.1:${port}${feed.path}`,
    responses,
    publishedBetween: (feed, from, to) => {
      const times: number[] = [];
      for (let k = Math.ceil((from - options.start - feed.phaseMs) / feed.gapMs); published(feed, k) <= to; k++) times.push(published(feed, k));
      return times;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

const WORDS = ['agency', 'ministry', 'report', 'network', 'budget', 'satellite', 'election', 'court', 'market', 'storm'];

function rss(feed: FarmFeed, latest: number, published: (feed: FarmFeed, k: number) => number, start: number): string {
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>',
    `<title>Farm feed ${feed.index}</title><link>https://farm${feed.index}.example/</link><description>${feed.shape}</description>\n`,
  ];
  for (let k = latest; k > latest - ITEMS_PER_DOCUMENT; k--) {
    const at = published(feed, k);
    // One run story in ten also names JAXA (the hourly and daily subscribers' topic).
    const flash = at >= start ? (k % 10 === 0 ? ' Newsflash: JAXA' : ' Newsflash') : '';
    const words = Array.from({ length: 30 }, (_, i) => WORDS[(feed.index * 7 + k * 3 + i) % WORDS.length]).join(' ');
    parts.push(
      `<item><title>Farm ${feed.index} story ${k}${flash}</title><link>https://farm${feed.index}.example/story/${k}</link>`,
      `<description>${words}.</description><pubDate>${new Date(at).toUTCString()}</pubDate></item>\n`,
    );
  }
  parts.push('</channel></rss>\n');
  return parts.join('');
}
