// Per-feed work at scale, in-process over real parts: a local farm of N feeds (bench/support/
// scale-farm.ts: most answer 304, a few percent post every 5 min / 30 min / hour / day, some have no
// ETag, a few answer after 10 s, some fail with 500), the embedded store (dynalite, in this process),
// the dispatcher, `--workers` concurrent workers on the in-memory queue, and the sender with the
// outbox mailer. The clock is injected: each step is one simulated minute (dispatch, drain the queue
// with the workers, send what is due), for `--hours` simulated hours.
//
// DynamoDB requests are attributed to the poll (or dispatch, or sender run) that sent them through
// AsyncLocalStorage, so 20 workers can run at once and every poll is still counted on its own.
//
// Prints: polls per second (wall clock); DynamoDB requests per poll by outcome (p50, max); polls per
// feed per simulated day by shape, adaptive vs a fixed 10-minute interval (144/day); the delay from
// each story's publication to its hit for the fast feeds. Writes bench/results/scale.json for
// bench/cost-model.ts. Exit 1 when a target is missed: slow feeds polled ≥ 5× less often than every
// 10 min; no story of a fast feed waits longer than the feed's own gap (nor is missed).
//
// Run: npx tsx bench/scale.ts [--feeds N] [--hours H] [--workers W] [--seed S]
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { openStore } from '../lambda/adapters/dynamodb/open-store.ts';
import { HttpFeedFetcher } from '../lambda/adapters/http/http-feed-fetcher.ts';
import { OutboxMailer } from '../lambda/adapters/mail/outbox-mailer.ts';
import { MemoryQueue } from '../lambda/adapters/queue/memory-queue.ts';
import type { CycleLog } from '../lambda/app/cycle-log.ts';
import { Dispatcher } from '../lambda/app/dispatch-due.ts';
import { LiveConfigCache } from '../lambda/app/live-config.ts';
import { pollOneFeed, type WorkerDeps } from '../lambda/app/poll-one-feed.ts';
import { sendDue } from '../lambda/app/send-due.ts';
import { parseConfig } from '../lambda/core/config/parse-config.ts';
import type { Hit } from '../lambda/core/domain/hit.ts';
import type { Mailer } from '../lambda/core/ports/mailer.ts';
import type { Store } from '../lambda/core/ports/store.ts';
import { FAST_SHAPES, type FarmFeed, SLOW_SHAPES, type Shape, startScaleFarm } from './support/scale-farm.ts';
import { SCALE_RESULTS_URL, type ScaleResults, type WorkCost } from './support/scale-results.ts';
import { quantile } from './support/quantile.ts';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
};
const FEEDS = Math.round(arg('feeds', 10_000));
// 7 h: the slow feeds (every 6 h) are polled a second time, so the steady mix holds their 304s.
const HOURS = arg('hours', 7);
const WORKERS = Math.round(arg('workers', 20));
const SEED = Math.round(arg('seed', 10));
const STEPS = Math.round(HOURS * 60);
const FIXED_PER_DAY = 144;
const TARGET_CUT = 5;

const MINUTE = 60_000;
const T0 = Date.parse('2026-03-02T00:00:00Z');
const WRITE_OPS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
/** Commands that take ReturnConsumedCapacity (the rest, DescribeTable say, are left alone). */
const CAPACITY_COMMANDS = /^(Get|Put|Update|Delete|Query|Scan|BatchGet|BatchWrite)/;

// ---------------------------------------------------------------- accounting

/** What one unit of work (one poll, one dispatch, one sender run) cost. */
interface Tally {
  ops: Record<string, number>;
  readUnits: number;
  writeUnits: number;
  calls: Record<string, number>;
  logBytes: number;
  logLines: number;
}
const newTally = (): Tally => ({ ops: {}, readUnits: 0, writeUnits: 0, calls: {}, logBytes: 0, logLines: 0 });
const context = new AsyncLocalStorage<Tally>();
/** Requests sent outside any measured unit (opening the store). */
const unattributed = newTally();
const current = () => context.getStore() ?? unattributed;

/** Counts bytes of what the services log, as one JSON line each (Powertools writes JSON lines). */
const logLine = (level: string, message: string, fields?: Record<string, unknown>) => {
  const tally = current();
  tally.logLines += 1;
  tally.logBytes += Buffer.byteLength(JSON.stringify({ level, message, ...fields })) + 1;
};
const countingLog: CycleLog = {
  info: (message, fields) => logLine('INFO', message, fields),
  warn: (message, fields) => logLine('WARN', message, fields),
  error: (message, fields) => logLine('ERROR', message, fields),
};

// ---------------------------------------------------------------- the parts

let now = T0;
const clock = { now: () => new Date(now) };
const farm = await startScaleFarm({ feeds: FEEDS, start: T0, now: () => now, seed: SEED });
const dir = mkdtempSync(join(tmpdir(), 'newshound-scale-'));
const opened = await openStore({ dataDir: join(dir, 'data'), env: {}, clock });

type Output = { ConsumedCapacity?: { CapacityUnits?: number } | Array<{ CapacityUnits?: number }> };
// Ask for the consumed capacity on every data request, and credit it (and the request) to the unit of
// work it was sent for. The operation is read at the build step (X-Amz-Target), as request-counter.ts does.
opened.client.middlewareStack.add(
  (next, ctx) => async (args) => {
    const input = args.input as Record<string, unknown>;
    if (CAPACITY_COMMANDS.test(String(ctx.commandName ?? ''))) input.ReturnConsumedCapacity ??= 'TOTAL';
    const result = await next(args);
    const consumed = (result.output as Output).ConsumedCapacity;
    const units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
    const tally = current();
    const operation = String(ctx.commandName ?? '').replace(/Command$/, '');
    if (/^(Put|Update|Delete|BatchWrite)/.test(operation)) tally.writeUnits += units;
    else tally.readUnits += units;
    return result;
  },
  { step: 'initialize', name: 'scaleBenchCapacity' },
);
opened.client.middlewareStack.add(
  (next, ctx) => async (args) => {
    const headers = (args.request as { headers?: Record<string, string> } | undefined)?.headers ?? {};
    const target = headers['x-amz-target'] ?? headers['X-Amz-Target'];
    const operation = target?.split('.').pop() ?? String(ctx.commandName ?? 'unknown').replace(/Command$/, '');
    const tally = current();
    tally.ops[operation] = (tally.ops[operation] ?? 0) + 1;
    return next(args);
  },
  { step: 'build', name: 'scaleBenchRequests' },
);

/** Every hit the workers write (publication → hit delay), and a count of each store call per unit of work. */
const hits: Hit[] = [];
const store = new Proxy(opened.store, {
  get: (target, name, receiver) => {
    const value = Reflect.get(target, name, receiver);
    if (typeof value !== 'function' || typeof name !== 'string') return value;
    return async (...args: unknown[]) => {
      const tally = current();
      tally.calls[name] = (tally.calls[name] ?? 0) + 1;
      const result = await value.apply(target, args);
      if (name === 'putHit' && result === true) hits.push(args[0] as Hit);
      return result;
    };
  },
}) as Store;

const WIRE = 'wire@example.com';
const config = parseConfig(
  stringify({
    feeds: farm.feeds.map((feed) => ({ url: farm.url(feed) })),
    topics: [
      { id: 'wire', name: 'Every story of the run', query: 'Newsflash' },
      { id: 'jaxa', name: 'Attacks on JAXA', query: 'JAXA OR 宇宙航空研究開発機構' },
    ],
    subscribers: [
      { email: WIRE, topics: ['wire'] },
      { email: 'desk@example.com', topics: ['jaxa'], frequency: 'hourly' },
      { email: 'tokyo@example.com', topics: ['jaxa'], frequency: 'daily', timezone: 'Asia/Tokyo' },
    ],
    mail: { from: 'alerts@example.com' },
    fetch: { allowPrivateNetworks: true, timeoutSeconds: 12 },
  }),
  'scale.yaml',
);
const live = new LiveConfigCache(store, config);
const queue = new MemoryQueue({ visibilityMs: 5 * MINUTE, maxReceiveCount: 5, now: () => now });
const outbox = new OutboxMailer(join(dir, 'outbox'));
let emails = 0;
const mailer: Mailer = {
  idempotent: true,
  send: (message) => {
    emails += 1;
    return outbox.send(message);
  },
};
const worker: WorkerDeps = { store, fetcher: new HttpFeedFetcher(), config, live, clock, log: countingLog };
const dispatcher = new Dispatcher({ store, queue, live, clock, log: countingLog });
const feedByUrl = new Map(farm.feeds.map((feed) => [farm.url(feed), feed]));

// ---------------------------------------------------------------- the run

interface PollSample {
  feed: FarmFeed;
  outcome: string;
  tally: Tally;
  ms: number;
  fresh: number;
  hits: number;
}
const samples: PollSample[] = [];
const dispatches: Array<{ tally: Tally; ms: number; jobs: number }> = [];
const senderRuns: Array<{ tally: Tally; ms: number; emails: number }> = [];
const polledOnce = new Set<string>();
let skipped = 0;
let newStories = 0;

const outcomeOf = (status: string, fresh: number, first: boolean): string => {
  if (first) return 'first poll';
  if (status === '304') return '304';
  if (status === '200') return fresh > 0 ? '200 new items' : '200 nothing new';
  return 'failed';
};

async function drain(): Promise<void> {
  const work = async () => {
    for (;;) {
      const [delivery] = queue.receive(1);
      if (!delivery) return;
      const tally = newTally();
      const started = performance.now();
      const outcome = await context.run(tally, () => pollOneFeed(worker, delivery.job));
      const ms = performance.now() - started;
      queue.ack(delivery.id);
      if ('skipped' in outcome) {
        skipped += 1;
        continue;
      }
      const url = delivery.job.feedUrl;
      const first = !polledOnce.has(url);
      polledOnce.add(url);
      newStories += outcome.polled.new;
      samples.push({ feed: feedByUrl.get(url)!, outcome: outcomeOf(outcome.polled.status, outcome.polled.new, first), tally, ms, fresh: outcome.polled.new, hits: outcome.polled.hits });
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, work));
}

const started = performance.now();
let lastReport = started;
/** Each feed's interval (minutes) after its last poll, read once the run is over. */
const finalInterval = new Map<string, number>();
/** After the first two steps, which hold every feed's first poll (the dispatcher queues at most 5,000 a minute). */
let steadyFrom = { at: started, polls: 0 };
try {
  for (let step = 0; step < STEPS; step++) {
    now = T0 + step * MINUTE;
    const dispatchTally = newTally();
    let t = performance.now();
    const { dispatched } = await context.run(dispatchTally, () => dispatcher.dispatch());
    dispatches.push({ tally: dispatchTally, ms: performance.now() - t, jobs: dispatched });
    await drain();
    const senderTally = newTally();
    t = performance.now();
    const emailsBefore = emails;
    await context.run(senderTally, () => sendDue({ store, mailer, config, clock, tokenKey: 'bench', log: countingLog, live }));
    senderRuns.push({ tally: senderTally, ms: performance.now() - t, emails: emails - emailsBefore });
    if (step === 1) steadyFrom = { at: performance.now(), polls: samples.length };
    if (performance.now() - lastReport > 15_000 || step === STEPS - 1) {
      lastReport = performance.now();
      console.error(`  simulated ${((step + 1) / 60).toFixed(1)} h of ${HOURS} h: ${samples.length} polls, ${((lastReport - started) / 1000).toFixed(0)} s`);
    }
  }
  const states = await opened.store.getFeedStates(farm.feeds.map((feed) => farm.url(feed)));
  for (const [url, state] of states) if (state.intervalMinutes) finalInterval.set(url, state.intervalMinutes);
} finally {
  await opened.close();
  await farm.close();
  rmSync(dir, { recursive: true, force: true });
}
const finished = performance.now();
const wallSeconds = (finished - started) / 1000;
const steadyPollsPerSecond = (samples.length - steadyFrom.polls) / ((finished - steadyFrom.at) / 1000);

// ---------------------------------------------------------------- figures

const mean = (values: readonly number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
const requestsOf = (tally: Tally) => Object.values(tally.ops).reduce((a, b) => a + b, 0);
const writesOf = (tally: Tally) => Object.entries(tally.ops).reduce((n, [op, c]) => n + (WRITE_OPS.has(op) ? c : 0), 0);
const meanRecord = (records: ReadonlyArray<Record<string, number>>) => {
  const sum: Record<string, number> = {};
  for (const record of records) for (const [key, n] of Object.entries(record)) sum[key] = (sum[key] ?? 0) + n;
  return Object.fromEntries(Object.entries(sum).sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => [key, n / Math.max(1, records.length)]));
};
function workCost(units: ReadonlyArray<{ tally: Tally; ms: number }>): WorkCost {
  const requests = units.map((u) => requestsOf(u.tally)).sort((a, b) => a - b);
  const ms = units.map((u) => u.ms).sort((a, b) => a - b);
  return {
    count: units.length,
    requests: { p50: quantile(requests, 0.5), max: requests.at(-1) ?? 0, mean: mean(requests) },
    byOperation: meanRecord(units.map((u) => u.tally.ops)),
    readUnits: mean(units.map((u) => u.tally.readUnits)),
    writeUnits: mean(units.map((u) => u.tally.writeUnits)),
    storeCalls: meanRecord(units.map((u) => u.tally.calls)),
    ms: { p50: quantile(ms, 0.5), mean: mean(ms), max: ms.at(-1) ?? 0 },
    logBytes: mean(units.map((u) => u.tally.logBytes)),
    logLines: mean(units.map((u) => u.tally.logLines)),
  };
}

const OUTCOMES = ['304', '200 nothing new', '200 new items', 'failed', 'first poll'];
const outcomes: Record<string, WorkCost> = {};
for (const outcome of OUTCOMES) outcomes[outcome] = workCost(samples.filter((s) => s.outcome === outcome));
const steadyMix: Record<string, number> = {};
for (const s of samples) if (s.outcome !== 'first poll') steadyMix[s.outcome] = (steadyMix[s.outcome] ?? 0) + 1;
const days = STEPS / 1440;
const shapeNames = [...new Set(farm.feeds.map((f) => f.shape))].sort() as Shape[];
const shapes = shapeNames.map((shape) => {
  const feeds = farm.feeds.filter((f) => f.shape === shape).length;
  const polls = samples.filter((s) => s.feed.shape === shape).length;
  const intervals = farm.feeds.filter((f) => f.shape === shape).map((f) => finalInterval.get(farm.url(f)) ?? 0).sort((a, b) => a - b);
  return {
    shape,
    feeds,
    gapMinutes: farm.feeds.find((f) => f.shape === shape)!.gapMs / MINUTE,
    polls,
    pollsPerFeedDay: polls / feeds / days,
    fixedPerFeedDay: FIXED_PER_DAY,
    intervalMinutes: { min: intervals[0] ?? 0, max: intervals.at(-1) ?? 0 },
  };
});
// The first dispatch seeds every feed and the first sender run finds nothing: leave them out of the per-minute figures.
const dispatchCost = workCost(dispatches.slice(1));
const senderCost = workCost(senderRuns.slice(1));
const senderIdle = workCost(senderRuns.slice(1).filter((r) => r.emails === 0));
// What each email adds to a sender run, over an idle run: claim, ledger and per-story writes.
const mailing = senderRuns.slice(1).filter((r) => r.emails > 0);
const mailed = mailing.reduce((n, r) => n + r.emails, 0);
const perEmail = (f: (t: Tally) => number, idle: number) => (mailed === 0 ? 0 : mailing.reduce((n, r) => n + f(r.tally) - idle, 0) / mailed);
const senderPerEmail = {
  emails: mailed,
  requests: perEmail(requestsOf, senderIdle.requests.mean),
  readUnits: perEmail((t) => t.readUnits, senderIdle.readUnits),
  writeUnits: perEmail((t) => t.writeUnits, senderIdle.writeUnits),
  updates: perEmail((t) => t.ops.UpdateItem ?? 0, senderIdle.byOperation.UpdateItem ?? 0),
};
const steady = samples.filter((s) => s.outcome !== 'first poll');

// Delay from publication to hit, for the wire subscriber (every story of the run is a hit for it).
const wireHits = new Map<string, number>();
for (const hit of hits) {
  if (!hit.topicIds.includes('wire') || !hit.publishedAt) continue;
  const feedUrl = hit.reasons[0]?.feedUrl ?? '';
  wireHits.set(`${feedUrl}|${Date.parse(hit.publishedAt)}`, Date.parse(hit.createdAt));
}
const end = T0 + (STEPS - 1) * MINUTE;
const delayRows = (['every-5-min', 'every-30-min', 'hourly', 'hourly-no-etag', 'daily'] as Shape[])
  .filter((shape) => shapeNames.includes(shape))
  .map((shape) => {
    const feeds = farm.feeds.filter((f) => f.shape === shape);
    const gap = feeds[0]!.gapMs;
    const delays: number[] = [];
    let missed = 0;
    for (const feed of feeds) {
      // Every story published at least one gap before the end must have been found.
      for (const at of farm.publishedBetween(feed, T0, end)) {
        const hitAt = wireHits.get(`${farm.url(feed)}|${at}`);
        if (hitAt !== undefined) delays.push((hitAt - at) / MINUTE);
        else if (at <= end - gap) missed += 1;
      }
    }
    delays.sort((a, b) => a - b);
    return { shape, gapMinutes: gap / MINUTE, stories: delays.length, p50: quantile(delays, 0.5), max: delays.at(-1) ?? 0, missed };
  });

const polls = samples.length;
const results: ScaleResults = {
  generatedAt: new Date().toISOString(),
  node: process.version,
  feeds: FEEDS,
  hours: HOURS,
  workers: WORKERS,
  wallSeconds,
  polls,
  pollsPerSecond: polls / wallSeconds,
  outcomes,
  steadyMix,
  steadyPollsPerSecond,
  pollsPerFeedDay: polls / FEEDS / days,
  steadyPollsPerFeedDay: steady.length / FEEDS / days,
  shapes,
  dispatch: dispatchCost,
  firstDispatch: workCost(dispatches.slice(0, 1)),
  sender: senderCost,
  senderIdle,
  senderPerEmail,
  steadyNewStoriesPerFeedDay: steady.reduce((n, s) => n + s.fresh, 0) / FEEDS / days,
  steadyHitsPerFeedDay: steady.reduce((n, s) => n + s.hits, 0) / FEEDS / days,
  jobsPerDispatch: mean(dispatches.slice(1).map((d) => d.jobs)),
  subscribers: {
    immediate: config.subscribers.filter((s) => s.frequency === 'immediate').length,
    held: config.subscribers.filter((s) => s.frequency !== 'immediate').length,
  },
  emails,
  hits: hits.length,
  newStories,
};
const resultsPath = fileURLToPath(SCALE_RESULTS_URL);
mkdirSync(join(resultsPath, '..'), { recursive: true });
writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);

// ---------------------------------------------------------------- tables

const f1 = (n: number) => n.toFixed(1);
const ops = (record: Record<string, number>) =>
  Object.entries(record)
    .map(([op, n]) => `${op} ${Number.isInteger(n) ? n : n.toFixed(2)}`)
    .join(', ');
console.log(`\n${FEEDS} feeds, ${HOURS} simulated h (${STEPS} one-minute steps), ${WORKERS} workers; Node ${process.version}`);
console.log(`farm responses: ${ops(farm.responses)}; jobs skipped as not due: ${skipped}; new stories ${newStories}, hits ${hits.length}, emails ${emails}`);
console.log(`\n${polls} polls in ${f1(wallSeconds)} s wall: ${f1(polls / wallSeconds)} polls/s (dispatch, workers and sender included);`);
console.log(`after the first two steps (every feed's first poll): ${f1(steadyPollsPerSecond)} polls/s\n`);

console.log('| outcome | polls | DynamoDB requests p50 | max | mean | writes mean | capacity units R / W (mean) | requests by operation (mean) | ms p50 / max |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
for (const outcome of OUTCOMES) {
  const c = outcomes[outcome]!;
  if (c.count === 0) continue;
  const units = samples.filter((s) => s.outcome === outcome);
  console.log(
    `| ${outcome} | ${c.count} | ${c.requests.p50} | ${c.requests.max} | ${c.requests.mean.toFixed(2)} | ${mean(units.map((u) => writesOf(u.tally))).toFixed(2)} | ${c.readUnits.toFixed(2)} / ${c.writeUnits.toFixed(2)} | ${ops(c.byOperation)} | ${f1(c.ms.p50)} / ${f1(c.ms.max)} |`,
  );
}
for (const [name, c] of [['dispatch (per minute)', dispatchCost], ['sender (per minute)', senderCost]] as const) {
  console.log(`| ${name} | ${c.count} | ${c.requests.p50} | ${c.requests.max} | ${c.requests.mean.toFixed(2)} | | ${c.readUnits.toFixed(2)} / ${c.writeUnits.toFixed(2)} | ${ops(c.byOperation)} | ${f1(c.ms.p50)} / ${f1(c.ms.max)} |`);
}

console.log(`\nPolls per feed per simulated day (over ${HOURS} h, first polls included), adaptive vs fixed 10 min (${FIXED_PER_DAY}/day):\n`);
console.log('| shape | feeds | posts every | polls | adaptive /day | fixed /day | fewer polls | interval at the end (min–max) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const every = (minutes: number) => (minutes >= 1440 ? `${minutes / 1440} d` : minutes >= 60 ? `${minutes / 60} h` : `${minutes} min`);
for (const s of shapes) {
  const gap = s.shape === 'failing' ? '(500)' : every(s.gapMinutes);
  const { min, max } = s.intervalMinutes;
  console.log(`| ${s.shape} | ${s.feeds} | ${gap} | ${s.polls} | ${f1(s.pollsPerFeedDay)} | ${FIXED_PER_DAY} | ${(FIXED_PER_DAY / s.pollsPerFeedDay).toFixed(1)}× | ${min === max ? min : `${min}–${max}`} min |`);
}
console.log(`| all | ${FEEDS} | | ${polls} | ${f1(polls / FEEDS / days)} | ${FIXED_PER_DAY} | ${(FIXED_PER_DAY / (polls / FEEDS / days)).toFixed(1)}× |`);

console.log('\nDelay from publication to hit (every story published during the run), in simulated minutes:\n');
console.log('| shape | gap | stories | p50 | max | missed |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const d of delayRows) console.log(`| ${d.shape} | ${d.gapMinutes} min | ${d.stories} | ${d.p50} | ${d.max} | ${d.missed} |`);

const slowRows = shapes.filter((s) => SLOW_SHAPES.includes(s.shape as Shape));
const slowPerDay = slowRows.reduce((n, s) => n + s.polls, 0) / slowRows.reduce((n, s) => n + s.feeds, 0) / days;
const checks: Array<[string, boolean]> = [
  ...slowRows.map((s): [string, boolean] => [`${s.shape} feeds: ${f1(s.pollsPerFeedDay)} polls/day, ${(FIXED_PER_DAY / s.pollsPerFeedDay).toFixed(1)}× fewer than fixed (≥ ${TARGET_CUT}×)`, FIXED_PER_DAY / s.pollsPerFeedDay >= TARGET_CUT]),
  [`slow feeds together: ${f1(slowPerDay)} polls/day, ${(FIXED_PER_DAY / slowPerDay).toFixed(1)}× fewer (≥ ${TARGET_CUT}×)`, FIXED_PER_DAY / slowPerDay >= TARGET_CUT],
  ...delayRows
    .filter((d) => FAST_SHAPES.includes(d.shape))
    .map((d): [string, boolean] => [`${d.shape}: longest wait ${d.max} min ≤ gap ${d.gapMinutes} min, ${d.missed} missed, ${d.stories} stories`, d.stories > 0 && d.max <= d.gapMinutes && d.missed === 0]),
];
console.log('');
for (const [label, ok] of checks) console.log(`${ok ? 'PASS' : 'FAIL'}  ${label}`);
console.log(`\nwrote ${resultsPath}`);
process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
