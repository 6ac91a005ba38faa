// Freshness: how long from a story's publication to the .eml in the outbox, for feeds whose hub
// pushes (WebSub) and for feeds that are only polled.
//
// What it does: a local publisher (bench/support/freshness-publisher.ts) serves --feeds feeds
// (default 200) on 127.0.0.1, --hub-feeds of them (default 20) as Atom naming a test hub
// (test/support/websub-hub.ts: subscribe, verify, signed fat pings) and themselves, the rest as RSS.
// `newshound up` runs as a user runs it (node bin/newshound.mjs, spawned, in real time: no clock is
// compressed) with the tick at --tick seconds (60, the deployed sender's period), websub.callbackUrl
// on its own pages' port, and two immediate subscribers of a topic that matches every story. Every
// feed starts empty (no history: polled every schedule.pollMinutes); after a warm-up that ends when
// each feed was polled and each hub feed's subscription verified, the publisher puts
// --pushed-stories stories into each hub feed and --polled-stories into each other feed, at
// uniformly random moments of a --window-second window, handing each hub feed's new document to the
// hub at once. A watcher lists the outbox every 250 ms and reads each new .eml (mailparser); a
// story's delivery time is the file's mtime. Latency = delivery − publication, per (story, subscriber).
//
// Targets (docs/feeds.md, "Push (WebSub)"): pushed p95 ≤ 90 s (one sender period plus processing);
// polled p50 ≤ half the feed's interval + 60 s, where the interval is the one each polled story
// met: the time between the poll that fetched it and the poll before (the publisher's request log);
// judged as the median of latency − interval / 2 ≤ 60 s over the polled deliveries whose interval
// closed within the publication window (in one the window's end cuts, stories fall only early). Polled feeds
// declare an RSS <ttl> of --poll-minutes to --poll-minutes + --ttl-spread minutes, so their polls
// spread over the ticks as real feeds' do rather than all falling on one.
//
// Run:   npx tsx bench/freshness.ts [--seed 1] [--feeds 200] [--hub-feeds 20] [--window 300]
//        [--tick 60] [--poll-minutes 2] [--ttl-spread 2] [--pushed-stories 6] [--polled-stories 2]
//        [--keep DIR] [--trace FILE.jsonl]
// About 9 minutes of wall time with the defaults. Writes bench/results/freshness.json; exits 1 when
// a target is missed or a story never arrived.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { startTestHub } from '../test/support/websub-hub.ts';
import { type PublishedFeed, type Story, startPublisher } from './support/freshness-publisher.ts';
import { listEml, parseEml } from './support/outbox.ts';
import { seededRng } from './support/prng.ts';

const BIN = fileURLToPath(new URL('../bin/newshound.mjs', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results/freshness.json', import.meta.url));

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number`);
  return value;
}
const keepIndex = process.argv.indexOf('--keep');
const keep = keepIndex >= 0 ? process.argv[keepIndex + 1] : undefined;
const traceIndex = process.argv.indexOf('--trace');
/** One JSON line per event (up's output lines, emails, stories and their deliveries), for a closer look. */
const trace = traceIndex >= 0 ? process.argv[traceIndex + 1] : undefined;

const settings = {
  seed: arg('seed', 1),
  feeds: arg('feeds', 200),
  hubFeeds: arg('hub-feeds', 20),
  windowSeconds: arg('window', 300),
  tickSeconds: arg('tick', 60),
  pollMinutes: arg('poll-minutes', 2),
  /** Polled feeds declare pollMinutes to pollMinutes + this (RSS <ttl>). */
  ttlSpreadMinutes: arg('ttl-spread', 2),
  pushedStoriesPerFeed: arg('pushed-stories', 6),
  polledStoriesPerFeed: arg('polled-stories', 2),
  subscribers: 2,
};
/** The safety-net poll of a pushed feed: beyond the run, so pushed stories arrive by push alone. */
const MAX_MINUTES = 30;
const WARM_UP_LIMIT_MS = 180_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function stats(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms / 100) / 10;
  return { n: sorted.length, p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), max: round(sorted.at(-1) ?? Number.NaN), min: round(sorted[0] ?? Number.NaN) };
}

async function main(): Promise<void> {
  const started = Date.now();
  const rng = seededRng(settings.seed);
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'newshound-freshness-'));
  mkdirSync(dir, { recursive: true });
  const outbox = join(dir, 'outbox');
  const hub = await startTestHub();
  const hubFeeds = new Set(rng.sample([...Array(settings.feeds).keys()], settings.hubFeeds));
  // Polled feeds declare 2 to 4 minutes (RSS <ttl>): their polls fall on different ticks, as real
  // feeds' do, instead of all 180 at once.
  const ttls = new Map(Array.from({ length: settings.feeds }, (_, i) => [i, rng.int(settings.pollMinutes, settings.pollMinutes + settings.ttlSpreadMinutes)] as const));
  const publisher = await startPublisher(settings.feeds, (i) => (hubFeeds.has(i) ? hub.url : undefined), (i) => ttls.get(i));

  const port = await freePort();
  const emails = Array.from({ length: settings.subscribers }, (_, i) => `reader${i + 1}@example.com`);
  const configPath = join(dir, 'newshound.yaml');
  writeFileSync(
    configPath,
    stringify({
      feeds: publisher.feeds.map((f) => ({ url: publisher.url(f) })),
      topics: [{ id: 'bench', name: 'Bench', query: 'Bench' }],
      subscribers: emails.map((email) => ({ email, topics: ['bench'], frequency: 'immediate' })),
      mail: { from: 'Bench <bench@example.com>', maxStoriesPerDigest: 200 },
      fetch: { allowPrivateNetworks: true, timeoutSeconds: 10, concurrency: 8 },
      schedule: { pollMinutes: settings.pollMinutes, minMinutes: settings.pollMinutes, maxMinutes: MAX_MINUTES },
      websub: { callbackUrl: `http://127.0.0.1:${port}/websub` },
    }),
  );

  const args = ['up', '--config', configPath, '--data', join(dir, 'data'), '--outbox', outbox, '--port', String(port), '--tick', String(settings.tickSeconds)];
  const up: ChildProcess = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NEWSHOUND_TABLE: '' } });
  let stdout = '';
  let stderr = '';
  const events: string[] = [];
  const note = (event: Record<string, unknown>) => trace && events.push(JSON.stringify({ at: Date.now(), ...event }));
  up.stdout!.on('data', (c: Buffer) => {
    stdout += c.toString();
    for (const line of c.toString().split('\n').filter(Boolean)) note({ up: line });
  });
  up.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => up.on('exit', (code) => resolve(code)));
  const stop = async () => {
    if (up.exitCode === null && up.signalCode === null) up.kill('SIGTERM');
    const code = await Promise.race([exited, sleep(30_000).then(() => 'timeout' as const)]);
    if (code === 'timeout') up.kill('SIGKILL');
    await hub.close();
    await publisher.close();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => void stop().then(() => process.exit(130)));

  // The outbox watcher: each (story, subscriber) and when its first .eml was written.
  const delivered = new Map<string, number>();
  const read = new Set<string>();
  let emailCount = 0;
  const digestSizes: number[] = [];
  const watch = async () => {
    for (const file of listEml(outbox)) {
      if (read.has(file)) continue;
      read.add(file);
      emailCount += 1;
      const at = statSync(join(outbox, file)).mtimeMs;
      const email = await parseEml(outbox, file);
      note({ email: file, to: email.to, mtime: at, items: email.items });
      if (email.items !== undefined) digestSizes.push(email.items);
      for (const [, id] of email.text.replace(/[«»]/g, '').matchAll(/\b(q\d{3}s\d{2})\b/g)) {
        const key = `${id}|${email.to}`;
        if (!delivered.has(key)) delivered.set(key, at);
      }
    }
  };
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      await watch().catch((error: unknown) => console.error(`outbox: ${String(error)}`));
      await sleep(250);
    }
  })();

  try {
    // Warm-up: every feed polled once, every hub feed's subscription verified.
    const warmDeadline = Date.now() + WARM_UP_LIMIT_MS;
    while (Date.now() < warmDeadline && !(hub.subscriptions.size >= settings.hubFeeds && publisher.feeds.every((f) => f.fetchedAt.length > 0))) {
      if (up.exitCode !== null) throw new Error(`newshound up exited ${up.exitCode}\n${stderr}`);
      await sleep(500);
    }
    const warmUpSeconds = (Date.now() - started) / 1000;
    console.log(`warm-up ${warmUpSeconds.toFixed(0)} s: ${publisher.feeds.filter((f) => f.fetchedAt.length > 0).length} feeds polled, ${hub.subscriptions.size} hub subscriptions verified`);

    // The publication window: each story at a uniformly random moment.
    const t0 = Date.now();
    const windowMs = settings.windowSeconds * 1000;
    const planned: Array<{ feed: PublishedFeed; at: number }> = [];
    for (const feed of publisher.feeds) {
      const count = feed.hub ? settings.pushedStoriesPerFeed : settings.polledStoriesPerFeed;
      for (let i = 0; i < count; i += 1) planned.push({ feed, at: t0 + rng() * windowMs });
    }
    planned.sort((a, b) => a.at - b.at);
    const stories: Story[] = [];
    const pings: Array<Promise<unknown>> = [];
    let pushFailures = 0;
    const perFeed = new Map<number, number>();
    for (const { feed, at } of planned) {
      const wait = at - Date.now();
      if (wait > 0) await sleep(wait);
      const n = (perFeed.get(feed.index) ?? 0) + 1;
      perFeed.set(feed.index, n);
      const id = `q${String(feed.index).padStart(3, '0')}s${String(n).padStart(2, '0')}`;
      const story: Story = { id, feed: feed.index, title: `Bench report ${id} from wire ${feed.index}`, link: `https://bench.example/${feed.index}/${id}`, publishedAt: Date.now() };
      publisher.publish(feed, story);
      stories.push(story);
      if (feed.hub) {
        pings.push(
          hub.publish(publisher.url(feed), publisher.body(feed)).then(
            (statuses) => {
              if (statuses.length === 0 || statuses.some((s) => s !== 200)) pushFailures += 1;
            },
            () => {
              pushFailures += 1;
            },
          ),
        );
      }
    }
    await Promise.all(pings);

    // Drain: until every story reached every subscriber, or the slowest poll plus two sender periods passed.
    const expected = stories.length * emails.length;
    const drainDeadline = Date.now() + (2 * (settings.pollMinutes + settings.ttlSpreadMinutes) * 60 + 3 * settings.tickSeconds) * 1000;
    while (delivered.size < expected && Date.now() < drainDeadline) await sleep(1000);
    watching = false;
    await watcher;
    await watch();

    // Latencies, and the interval each polled story met.
    const latencies = { pushed: [] as number[], polled: [] as number[] };
    const missing = { pushed: 0, polled: 0 };
    const intervals: number[] = [];
    /**
     * Per polled delivery: its latency less half the interval its story met (the target's "+ 60 s"
     * part), for stories whose interval closed within the publication window: there a story is
     * equally likely anywhere in its interval. In an interval the window's end cuts, stories fall
     * only in its early part and wait longer than half of it, which says nothing about Newshound.
     */
    const excess: number[] = [];
    const windowEnd = t0 + windowMs;
    /** Per polled delivery: from the poll that fetched its story to the .eml (the sender's part). */
    const afterPoll: number[] = [];
    let pushedBeforeAPoll = 0;
    for (const story of stories) {
      const feed = publisher.feeds[story.feed]!;
      const kind = feed.hub ? 'pushed' : 'polled';
      const firstPoll = feed.fetchedAt.find((t) => t >= story.publishedAt);
      const previous = feed.fetchedAt.filter((t) => t < story.publishedAt).at(-1);
      const met = kind === 'polled' && firstPoll !== undefined && previous !== undefined ? firstPoll - previous : undefined;
      if (met !== undefined) intervals.push(met);
      for (const email of emails) {
        const at = delivered.get(`${story.id}|${email}`);
        if (at === undefined) {
          missing[kind] += 1;
          continue;
        }
        latencies[kind].push(at - story.publishedAt);
        if (met !== undefined && firstPoll !== undefined && firstPoll <= windowEnd) excess.push(at - story.publishedAt - met / 2);
        if (kind === 'polled' && firstPoll !== undefined) afterPoll.push(at - firstPoll);
        note({ story: story.id, kind, to: email, publishedAt: story.publishedAt, deliveredAt: at, seconds: (at - story.publishedAt) / 1000, firstPoll });
        if (kind === 'pushed' && (firstPoll === undefined || firstPoll > at)) pushedBeforeAPoll += 1;
      }
    }
    const interval = stats(intervals);
    const pushed = stats(latencies.pushed);
    const polled = stats(latencies.polled);
    const overHalfInterval = stats(excess);
    const sinceThePoll = stats(afterPoll);
    // Polled: p50 ≤ half the feed's interval + 60 s, each delivery judged by the interval its story met.
    const targets = { pushedP95Seconds: 90, polledP50SecondsOverHalfInterval: 60 };
    const pass = {
      pushed: missing.pushed === 0 && pushed.p95 <= targets.pushedP95Seconds,
      polled: missing.polled === 0 && overHalfInterval.p50 <= targets.polledP50SecondsOverHalfInterval,
    };
    const cappedDigests = digestSizes.filter((n) => n >= 200).length;
    const pushLines = stdout.split('\n').filter((l) => /: pushed, \d+ new/.test(l)).length;

    const row = (name: string, feeds: number, s: ReturnType<typeof stats>, miss: number, target: string, ok: boolean) =>
      `| ${name} | ${feeds} | ${s.n + miss} | ${s.n} | ${s.p50} s | ${s.p95} s | ${s.max} s | ${target} | ${ok ? 'PASS' : 'FAIL'} |`;
    console.log('');
    console.log(
      `newshound up (spawned, real time), tick ${settings.tickSeconds} s, schedule.pollMinutes = minMinutes = ${settings.pollMinutes}, maxMinutes ${MAX_MINUTES}, polled feeds' <ttl> ${settings.pollMinutes}-${settings.pollMinutes + settings.ttlSpreadMinutes} min; ${emails.length} immediate subscribers; window ${settings.windowSeconds} s`,
    );
    console.log('');
    console.log('| feeds | count | deliveries expected | delivered | p50 | p95 | max | target | result |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
    console.log(row('pushed (WebSub)', settings.hubFeeds, pushed, missing.pushed, `p95 ≤ ${targets.pushedP95Seconds} s`, pass.pushed));
    console.log(
      row('polled', settings.feeds - settings.hubFeeds, polled, missing.polled, `p50 ≤ interval / 2 + 60 s (p50 of latency − interval / 2: ${overHalfInterval.p50} s, n ${overHalfInterval.n})`, pass.polled),
    );
    console.log('');
    console.log(
      `interval the polled stories met: p50 ${interval.p50} s, min ${interval.min} s, max ${interval.max} s; from their poll to the .eml: p50 ${sinceThePoll.p50} s, min ${sinceThePoll.min} s, max ${sinceThePoll.max} s; pushed deliveries before any poll of their feed: ${pushedBeforeAPoll}/${pushed.n}; push lines from up: ${pushLines}; failed pings: ${pushFailures}; emails: ${emailCount} (${cappedDigests} at mail.maxStoriesPerDigest)`,
    );

    const wallSeconds = Math.round((Date.now() - started) / 1000);
    const results = {
      generatedAt: new Date().toISOString(),
      command: `npx tsx bench/freshness.ts ${process.argv.slice(2).join(' ')}`.trim(),
      mode: 'newshound up spawned as a child process (bin/newshound.mjs), real time, embedded store, outbox mailer; local publisher and test hub on 127.0.0.1',
      settings: { ...settings, maxMinutes: MAX_MINUTES, maxStoriesPerDigest: 200, fetchConcurrency: 8 },
      warmUpSeconds: Math.round(warmUpSeconds),
      stories: { pushed: stories.filter((s) => publisher.feeds[s.feed]!.hub).length, polled: stories.filter((s) => !publisher.feeds[s.feed]!.hub).length },
      latencySeconds: { pushed, polled },
      missingDeliveries: missing,
      polledIntervalSeconds: interval,
      polledLatencyOverHalfIntervalSeconds: overHalfInterval,
      polledPollToEmailSeconds: sinceThePoll,
      digestsAtCap: cappedDigests,
      pushedDeliveriesBeforeAnyPoll: pushedBeforeAPoll,
      pushLines,
      failedPings: pushFailures,
      emails: emailCount,
      targets,
      pass,
      wallSeconds,
    };
    if (trace) writeFileSync(trace, `${events.join('\n')}\n`);
    mkdirSync(join(RESULTS, '..'), { recursive: true });
    writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`wall time ${wallSeconds} s; written ${RESULTS}`);
    process.exitCode = pass.pushed && pass.polled ? 0 : 1;
  } finally {
    watching = false;
    await stop();
  }
}

await main();
