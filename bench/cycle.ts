// One Newshound cycle at scale, in-process over real parts: 200 local feeds × 50 items on a local
// HTTP server, the embedded store (dynalite, in this process), the outbox mailer. Three cycles:
// a first cycle (every item new), an all-304 cycle, and a cycle where 5% of items are new.
// Prints wall time, peak RSS (sampled every 20 ms; the in-process dynalite engine is included) and
// DynamoDB requests by operation (counted by SDK middleware), then checks the write targets:
// the all-304 cycle writes only what scheduling needs, at most one write per polled feed (its next
// due time), no story, and otherwise only locks and the digests of the first cycle's hits that are
// still being sent (writes are told apart by the partition they go to); the 5% cycle writes at most
// 3 per new item + 1 per changed feed (+ the lock).
// Run: npx tsx bench/cycle.ts [--feeds N] [--items N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { openStore } from '../lambda/adapters/dynamodb/open-store.ts';
import { attachRequestCounter } from '../lambda/adapters/dynamodb/request-counter.ts';
import { HttpFeedFetcher } from '../lambda/adapters/http/http-feed-fetcher.ts';
import { OutboxMailer } from '../lambda/adapters/mail/outbox-mailer.ts';
import type { CycleReport } from '../lambda/app/cycle-report.ts';
import { runCycle } from '../lambda/app/run-cycle.ts';
import { parseConfig } from '../lambda/core/config/parse-config.ts';
import { rss, type RssItem } from '../test/e2e/support/rss.ts';
import { startFeedServer } from '../test/support/feed-server.ts';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const FEEDS = arg('feeds', 200);
const ITEMS = arg('items', 50);
const WRITE_OPS = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'];
const LOCK_WRITES = 2;
/** The partition a feed's state (and so its next due time) lives in: keys.ts, feedStateKey. */
const FEED_PARTITION = 'FEED';
const STORY_PARTITION = 'STORY';

const T0 = Date.parse('2026-03-02T00:00:00Z');
const WORDS = ['agency', 'ministry', 'report', 'network', 'budget', 'satellite', 'election', 'court', 'market', 'storm'];
/** About one item in ten mentions a topic term, spread over feeds and versions alike. */
function item(feed: number, n: number): RssItem {
  const spread = (feed * 31 + n * 7) % 20;
  const hot = spread === 0 ? ' JAXA' : spread === 10 ? ' Unit 61419' : '';
  const words = Array.from({ length: 40 }, (_, i) => WORDS[(feed * 7 + n * 3 + i) % WORDS.length]).join(' ');
  return {
    title: `Feed ${feed} story ${n}${hot} ${WORDS[n % WORDS.length]}`,
    link: `https://news${feed}.example/story/${n}?utm_source=rss`,
    description: `${words}.${hot ? ` Officials said${hot} was involved.` : ''}`,
    pubDate: new Date(T0 - n * 60_000),
  };
}
/** The feed's items at a version: version v adds `newPerVersion(feed)` stories on top. */
const newPerVersion = (feed: number) => (feed % 2 === 0 ? 3 : 2) * (ITEMS / 50);
function feedItems(feed: number, version: number): RssItem[] {
  const top = ITEMS + version * newPerVersion(feed);
  return Array.from({ length: ITEMS }, (_, i) => item(feed, top - i));
}

const server = await startFeedServer();
const serveVersion = (version: number) => {
  for (let f = 0; f < FEEDS; f++) {
    server.route(`/feed-${f}.xml`, {
      body: rss(`Feed ${f}`, feedItems(f, version)),
      etag: `"f${f}-v${version}"`,
      headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
    });
  }
};

const dir = mkdtempSync(join(tmpdir(), 'newshound-bench-'));
let now = new Date(T0);
const opened = await openStore({ dataDir: join(dir, 'data'), env: {}, clock: { now: () => now } });
const counter = attachRequestCounter(opened.client);
/** Writes by the kind of partition they go to (FEED, STORY, SUB, LOCK, ...), read from the request body. */
let writesByPartition: Record<string, number> = {};
opened.client.middlewareStack.add(
  (next) => async (args) => {
    const request = args.request as { headers?: Record<string, string>; body?: unknown } | undefined;
    const target = request?.headers?.['x-amz-target'] ?? request?.headers?.['X-Amz-Target'] ?? '';
    const operation = target.split('.').pop() ?? '';
    const raw = request?.body;
    if (WRITE_OPS.includes(operation) && (typeof raw === 'string' || raw instanceof Uint8Array)) {
      const body = JSON.parse(typeof raw === 'string' ? raw : new TextDecoder().decode(raw)) as { Item?: { pk?: { S?: string } }; Key?: { pk?: { S?: string } } };
      const kind = (body.Item?.pk?.S ?? body.Key?.pk?.S ?? 'batch').split('#')[0]!;
      writesByPartition[kind] = (writesByPartition[kind] ?? 0) + 1;
    }
    return next(args);
  },
  { step: 'build', name: 'benchWritesByPartition' },
);
const config = parseConfig(
  stringify({
    feeds: Array.from({ length: FEEDS }, (_, f) => ({ url: server.url(`/feed-${f}.xml`) })),
    topics: [
      { id: 'jaxa', name: 'Attacks on JAXA', query: 'JAXA OR 宇宙航空研究開発機構' },
      { id: 'unit-61419', name: 'PLA Unit 61419', query: '"Unit 61419"' },
      { id: 'tick', name: 'Tick group', query: '=Tick OR "BRONZE BUTLER"' },
    ],
    subscribers: [
      { email: 'analyst@example.com', topics: ['jaxa', 'unit-61419', 'tick'] },
      { email: 'desk@example.com', topics: ['jaxa'], frequency: 'hourly' },
    ],
    mail: { from: 'alerts@example.com' },
    fetch: { allowPrivateNetworks: true, concurrency: 8 },
  }),
  'bench.yaml',
);
const mailer = new OutboxMailer(join(dir, 'outbox'));

interface Row {
  name: string;
  seconds: number;
  peakMb: number;
  report: CycleReport;
  counts: Record<string, number>;
  partitions: Record<string, number>;
}

async function cycle(name: string, at: number): Promise<Row> {
  now = new Date(at);
  counter.reset();
  writesByPartition = {};
  global.gc?.();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  const report = await runCycle({ store: opened.store, fetcher: new HttpFeedFetcher(), mailer, clock: { now: () => new Date(at) }, config, tokenKey: 'bench' });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { name, seconds, peakMb: peak / 2 ** 20, report, counts: counter.counts(), partitions: writesByPartition };
}

const rows: Row[] = [];
try {
  serveVersion(0);
  rows.push(await cycle('first cycle (all new)', T0));
  rows.push(await cycle('all 304', T0 + 10 * 60_000));
  serveVersion(1);
  rows.push(await cycle('5% new', T0 + 20 * 60_000));
} finally {
  await opened.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}

const writes = (counts: Record<string, number>) => WRITE_OPS.reduce((n, op) => n + (counts[op] ?? 0), 0);
const statuses = (r: CycleReport) => {
  const by: Record<string, number> = {};
  for (const f of r.feeds) by[f.status] = (by[f.status] ?? 0) + 1;
  return Object.entries(by).map(([s, n]) => `${n}×${s}`).join(' ');
};
const ops = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');

console.log(`\n${FEEDS} feeds × ${ITEMS} items, fetch.concurrency ${config.fetch.concurrency}, ${config.subscribers.length} subscribers, ${config.topics.length} topics; Node ${process.version}\n`);
console.log('| cycle | wall time | peak RSS | feeds | new items | hits | emails | DynamoDB requests by operation | writes | writes by partition |');
console.log('| --- | ---: | ---: | --- | ---: | ---: | ---: | --- | ---: | --- |');
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.seconds.toFixed(2)} s | ${r.peakMb.toFixed(0)} MB | ${statuses(r.report)} | ${r.report.totals.new} | ${r.report.totals.hits} | ${r.report.emails.length} | ${ops(r.counts)} | ${writes(r.counts)} | ${ops(r.partitions)} |`,
  );
}

const [, unchanged, fivePercent] = rows as [Row, Row, Row];
const changedFeeds = fivePercent.report.feeds.filter((f) => f.status === '200').length;
const budget = 3 * fivePercent.report.totals.new + changedFeeds + LOCK_WRITES;
const polledFeeds = unchanged.report.feeds.length;
const feedWrites = unchanged.partitions[FEED_PARTITION] ?? 0;
const [first] = rows as [Row];
const checks = [
  // The partition count works: the first cycle wrote every feed's state.
  [`first cycle writes ${first.partitions[FEED_PARTITION] ?? 0} feed states for ${first.report.feeds.length} feeds`, (first.partitions[FEED_PARTITION] ?? 0) >= first.report.feeds.length],
  [`all-304 cycle writes ${feedWrites} feed states for ${polledFeeds} polled feeds (at most one each: the next due time)`, feedWrites <= polledFeeds],
  [`all-304 cycle writes no story (${unchanged.partitions[STORY_PARTITION] ?? 0})`, (unchanged.partitions[STORY_PARTITION] ?? 0) === 0],
  [
    `all-304 cycle writes nothing but feed states, locks and the digests still being sent (${ops(unchanged.partitions)})`,
    Object.keys(unchanged.partitions).every((kind) => ['FEED', 'LOCK', 'SUB'].includes(kind)),
  ],
  [`5% cycle writes ${writes(fivePercent.counts)} <= 3 × ${fivePercent.report.totals.new} new + ${changedFeeds} changed feeds + ${LOCK_WRITES} lock = ${budget}`, writes(fivePercent.counts) <= budget],
] as const;
console.log('');
for (const [label, ok] of checks) console.log(`${ok ? 'PASS' : 'FAIL'}  ${label}`);
process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
