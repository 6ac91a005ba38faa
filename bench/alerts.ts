// Personal alerts at scale (README, "Personal alerts"): 10,000 subscribers × 3 alerts compiled with
// the config topics into the one matcher: compile time and heap, items/s over a realistic English and
// Japanese corpus against the combined-RegExp baseline (bench/match-baselines.ts), and the preview's
// latency and store requests over a week of recent stories on the embedded store.
// Run: npx tsx --expose-gc bench/alerts.ts [--subscribers N] [--items N] [--budget SECONDS]
//        [--baseline-items N] [--stories N] [--previews N] [--no-preview]
// Writes bench/results/alerts.json. Exits 1 when the matcher and the baseline disagree.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { MemoryStore } from '../lambda/adapters/memory/memory-store.ts';
import { LiveConfigCache } from '../lambda/app/live-config.ts';
import { configSchema } from '../lambda/core/config/schema.ts';
import { alertTopicId, type Alert } from '../lambda/core/domain/alert.ts';
import type { MatchDocument } from '../lambda/core/model.ts';
import { LIVE_CONFIG_VERSION } from '../lambda/core/ports/version-store.ts';
import { compileTopics, type TopicMatcher } from '../lambda/core/query/compile-topics.ts';
import { parseQuery } from '../lambda/core/query/parse-query.ts';
import type { QueryNode } from '../lambda/core/query/query-node.ts';
import { combinedRegExp } from './match-baselines.ts';
import { measurePreview } from './support/preview-latency.ts';
import { quantile } from './support/quantile.ts';
import { makeAlertQueries, makeNewsItems, newsVocabulary, type NewsItem } from './support/query-generator.ts';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const SUBSCRIBERS = arg('subscribers', 10_000);
const ALERTS_EACH = 3;
const CONFIG_TOPICS = 50;
const ITEMS = arg('items', 5_000);
/** Seconds the baseline may run; past it, it is measured on the items done so far. */
const BUDGET = arg('budget', 30);
/** Items the baseline may match at most (see BASELINE_CHILD). */
const BASELINE_ITEMS = arg('baseline-items', 25);
const STORIES = arg('stories', 50_000);
const PREVIEWS = arg('previews', 200);
const PREVIEW = !process.argv.includes('--no-preview');
const RESULTS_URL = new URL('results/alerts.json', import.meta.url);

const gc = (globalThis as { gc?: () => void }).gc;
const MB = 1024 * 1024;

/** heapUsed and RSS after a full collection (twice: weak references and finalisers settle). */
function memory(): { heap: number; rss: number } {
  gc?.();
  gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  return { heap: heapUsed, rss };
}


function distinctTerms(queries: readonly string[]): number {
  const keys = new Set<string>();
  const walk = (node: QueryNode): void => {
    if (node.type === 'term') keys.add(`${node.term.caseSensitive}|${JSON.stringify(node.term.parts)}`);
    else if (node.type === 'not') walk(node.child);
    else node.children.forEach(walk);
  };
  for (const q of queries) walk(parseQuery(q));
  return keys.size;
}

// ---- the alert set -------------------------------------------------------------------------------

const vocabulary = newsVocabulary();
const alertQueries = makeAlertQueries(SUBSCRIBERS * ALERTS_EACH, vocabulary);
const configQueries = makeAlertQueries(CONFIG_TOPICS, vocabulary, 21);
const topics = [
  ...configQueries.map((query, i) => ({ id: `topic-${i}`, query })),
  ...alertQueries.map((query, i) => ({ id: alertTopicId(`a${String(i).padStart(9, '0')}`), query })),
];
const terms = distinctTerms(topics.map((t) => t.query));
console.log(`node ${process.version}; ${SUBSCRIBERS.toLocaleString('en')} subscribers × ${ALERTS_EACH} alerts + ${CONFIG_TOPICS} config topics = ${topics.length.toLocaleString('en')} queries, ${new Set(alertQueries).size.toLocaleString('en')} distinct, ${terms.toLocaleString('en')} distinct terms`);
console.log(`examples: ${alertQueries.slice(0, 6).join('  |  ')}`);
if (!gc) console.log('(no global.gc: run with `npx tsx --expose-gc bench/alerts.ts` to measure the heap)');

// ---- matching -----------------------------------------------------------------------------------

const corpus: NewsItem[] = makeNewsItems(ITEMS, vocabulary);
const docBytes = (d: MatchDocument): number => Buffer.byteLength(d.title) + Buffer.byteLength(d.text) + d.categories.reduce((n, c) => n + Buffer.byteLength(c), 0);
const corpusMb = corpus.reduce((n, d) => n + docBytes(d), 0) / 1e6;
const japanese = corpus.filter((d) => d.japanese).length;
console.log(`corpus: ${ITEMS.toLocaleString('en')} items (${japanese} Japanese, ${ITEMS - japanese} English), text 500–2,000 characters, ${corpusMb.toFixed(1)} MB UTF-8`);

interface Run {
  items: number;
  seconds: number;
  /** CPU seconds of this process (user + system): the machine may be shared, the CPU time is ours. */
  cpuSeconds: number;
  /** Matches per item. */
  counts: number[];
  /** The matched ids of the first KEEP items, joined: what the two methods are compared on. */
  kept: string[];
  /** Queries that matched at least once. */
  hitQueries: Set<string>;
}

/** Items whose results are kept for the comparison (the baseline rarely gets further in its budget). */
const KEEP = 2_000;

function measure(match: (doc: MatchDocument) => string[], budgetSeconds: number, warmUp: number, limit = corpus.length): Run {
  for (let i = 0; i < Math.min(warmUp, corpus.length); i++) match(corpus[i] as MatchDocument);
  const run: Run = { items: 0, seconds: 0, cpuSeconds: 0, counts: [], kept: [], hitQueries: new Set() };
  const cpu = process.cpuUsage();
  const start = performance.now();
  const deadline = start + budgetSeconds * 1000;
  while (run.items < limit && (run.items % 16 !== 0 || performance.now() < deadline)) {
    const ids = match(corpus[run.items] as MatchDocument);
    run.counts.push(ids.length);
    if (run.items < KEEP) run.kept.push(ids.join(','));
    for (const id of ids) run.hitQueries.add(id);
    run.items++;
  }
  run.seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  run.cpuSeconds = (used.user + used.system) / 1e6;
  return run;
}

// The baseline runs in a child process of its own, over at most BASELINE_ITEMS items: V8 compiles
// its big alternations and its per-term RegExps to machine code, and at 30,000 queries the code
// space grows by over a megabyte per item until V8 ends the process (out of memory) after some 40
// items, which must not take the other figures with it. The ratio compares both methods on the
// same first items.
const BASELINE_CHILD = '--baseline-child';
const BASELINE_LINE = 'BASELINE ';

if (process.argv.includes(BASELINE_CHILD)) {
  const start = performance.now();
  const combined = combinedRegExp(topics);
  const buildMs = performance.now() - start;
  // A short warm-up: the first use of each alternation is its (long) compilation.
  const run = measure(combined, BUDGET, 5, BASELINE_ITEMS);
  const { hitQueries: _ids, counts: _counts, ...figures } = run;
  process.stdout.write(`${BASELINE_LINE}${JSON.stringify({ ...figures, buildMs, groups: combined.groups, regexps: combined.regexps })}\n`);
  process.exit(0);
}

// ---- compile ------------------------------------------------------------------------------------

const before = memory();
const compileStart = performance.now();
let matcher: TopicMatcher | undefined = compileTopics(topics);
const compileMs = performance.now() - compileStart;
// The matcher builds nothing lazily; one match makes sure of it before the heap is read.
matcher.match({ title: 'warm up', text: '', categories: [] });
const after = memory();
const heapMb = (after.heap - before.heap) / MB;
const rssMb = (after.rss - before.rss) / MB;
console.log(`compileTopics: ${compileMs.toFixed(0)} ms; heap +${heapMb.toFixed(1)} MB (now ${(after.heap / MB).toFixed(0)} MB), RSS +${rssMb.toFixed(1)} MB (now ${(after.rss / MB).toFixed(0)} MB)`);

const live = matcher;
// Three passes over the corpus, the fastest reported (the machine is shared: other processes only
// ever slow a pass down), the spread beside it.
const passes = [0, 1, 2].map(() => measure((d) => live.match(d).map((m) => m.topicId), Number.POSITIVE_INFINITY, 50));
const ours = passes.reduce((best, run) => (run.seconds < best.seconds ? run : best));
const passRates = passes.map((run) => Math.round(run.items / run.seconds));
const perItem = [...ours.counts].sort((a, b) => a - b);
const hits = perItem.reduce((a, b) => a + b, 0);
const matchedItems = perItem.filter((n) => n > 0).length;
const alertsHit = ours.hitQueries.size;
ours.hitQueries.clear();
const oursRate = ours.items / ours.seconds;
const oursCpuRate = ours.items / ours.cpuSeconds;
console.log(
  `ours: ${Math.round(oursRate).toLocaleString('en')} items/s wall (${(corpusMb / ours.seconds).toFixed(2)} MB/s; passes ${passRates.join(', ')}), ${Math.round(oursCpuRate).toLocaleString('en')} items per CPU-second; ${matchedItems} of ${ITEMS} items matched, ${hits.toLocaleString('en')} (item, query) hits, per item p50 ${quantile(perItem, 0.5)} p90 ${quantile(perItem, 0.9)} max ${perItem.at(-1)}; ${alertsHit.toLocaleString('en')} queries hit at least once`,
);
// The same corpus through the 50 config topics alone: what reading the text costs before any alert.
const configOnly = (() => {
  const small = compileTopics(topics.slice(0, CONFIG_TOPICS));
  const run = measure((d) => small.match(d).map((m) => m.topicId), Number.POSITIVE_INFINITY, 50);
  return { itemsPerSecond: run.items / run.seconds, hits: run.counts.reduce((a, b) => a + b, 0) };
})();
console.log(`the ${CONFIG_TOPICS} config topics alone: ${Math.round(configOnly.itemsPerSecond).toLocaleString('en')} items/s (${configOnly.hits.toLocaleString('en')} hits)`);

// Ours again on exactly the items the baseline gets to, for a like-for-like ratio (repeated: they are few).
const sameItems = (() => {
  const n = Math.min(BASELINE_ITEMS, corpus.length);
  const cpu = process.cpuUsage();
  const start = performance.now();
  const rounds = 20;
  for (let r = 0; r < rounds; r++) for (let i = 0; i < n; i++) live.match(corpus[i] as MatchDocument);
  const used = process.cpuUsage(cpu);
  return { rate: (n * rounds) / ((performance.now() - start) / 1000), cpuRate: (n * rounds) / ((used.user + used.system) / 1e6) };
})();
matcher = undefined;

// ---- the same set through the worker's live config ---------------------------------------------

/**
 * What a worker container does: the live-config cache reads 10,000 profiles (3 alerts each) and
 * compiles the one matcher at its first match; then a counter bump that changes no query (a
 * frequency edit) must cost no recompilation.
 */
async function measureLiveConfig() {
  const config = configSchema.parse({
    feeds: [{ url: 'https://news.example/feed.xml' }],
    topics: configQueries.map((query, i) => ({ id: `topic-${i}`, name: `Topic ${i}`, query })),
    subscribers: [],
    mail: { from: 'alerts@example.com' },
  });
  const store = new MemoryStore();
  const at = new Date().toISOString();
  for (let s = 0; s < SUBSCRIBERS; s++) {
    const alerts: Alert[] = Array.from({ length: ALERTS_EACH }, (_, k) => ({
      id: `a${String(s * ALERTS_EACH + k).padStart(9, '0')}`,
      name: `Alert ${k + 1}`,
      query: alertQueries[s * ALERTS_EACH + k] as string,
      paused: false,
      createdAt: at,
      updatedAt: at,
    }));
    await store.putSubscriber({ id: `s${s}`, email: `reader${s}@example.com`, topics: [], frequency: 'daily', timezone: 'UTC', alerts, status: 'active', source: 'api', createdAt: at, updatedAt: at });
  }
  const cache = new LiveConfigCache(store, config, { checkEveryMs: 0 });
  const start = memory();
  const t0 = performance.now();
  const first = await cache.current(new Date());
  const firstMatch = first.matcher.match(corpus[0] as MatchDocument).length;
  const ms = performance.now() - t0;
  const end = memory();
  // A change that leaves every query as it was: same matcher, nothing compiled.
  const changed = await store.getSubscriber('s0');
  await store.putSubscriber({ ...(changed as NonNullable<typeof changed>), frequency: 'hourly' });
  await store.bumpVersion(LIVE_CONFIG_VERSION);
  const t1 = performance.now();
  const second = await cache.current(new Date());
  second.matcher.match(corpus[0] as MatchDocument);
  const rereadMs = performance.now() - t1;
  const figures = { ms, heapMb: (end.heap - start.heap) / MB, rssMb: (end.rss - start.rss) / MB, rereadMs, sameMatcher: second.matcher === first.matcher, firstMatch };
  console.log(
    `LiveConfigCache: first read + compile + first match ${ms.toFixed(0)} ms, heap +${figures.heapMb.toFixed(1)} MB, RSS +${figures.rssMb.toFixed(1)} MB; after a counter bump that changes no query: ${rereadMs.toFixed(0)} ms, ${figures.sameMatcher ? 'same matcher (not recompiled)' : 'RECOMPILED'}`,
  );
  return figures;
}
const liveConfig = await measureLiveConfig();

interface BaselineRun {
  items: number;
  seconds: number;
  cpuSeconds: number;
  kept: string[];
  buildMs: number;
  groups: number;
  regexps: number;
}

function runBaseline(): BaselineRun | { failed: string } {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2), BASELINE_CHILD], {
    encoding: 'utf8',
    maxBuffer: 256 * MB,
  });
  const line = child.stdout.split('\n').find((l) => l.startsWith(BASELINE_LINE));
  if (child.status === 0 && line) return JSON.parse(line.slice(BASELINE_LINE.length)) as BaselineRun;
  const why = child.stderr.split('\n').find((l) => /FATAL ERROR|Error/.test(l)) ?? `exit ${child.status ?? child.signal}`;
  return { failed: why.trim() };
}

const baselineResult = runBaseline();
const baseline = 'failed' in baselineResult ? undefined : baselineResult;
const baselineRate = baseline ? baseline.items / baseline.seconds : Number.NaN;
const baselineCpuRate = baseline ? baseline.items / baseline.cpuSeconds : Number.NaN;
let disagreements = 0;
if (baseline) {
  for (let i = 0; i < Math.min(baseline.kept.length, ours.kept.length); i++) if (ours.kept[i] !== baseline.kept[i]) disagreements++;
  console.log(
    `combined RegExp baseline (own process): built in ${baseline.buildMs.toFixed(0)} ms (${baseline.groups.toLocaleString('en')} alternatives in ${baseline.regexps} RegExps); ${Math.round(baselineRate).toLocaleString('en')} items/s over ${baseline.items} items${baseline.items < ITEMS ? ` (of ${ITEMS}: stopped at ${BASELINE_ITEMS} items or ${BUDGET} s)` : ''}; ours on the same items ${Math.round(sameItems.rate).toLocaleString('en')} items/s, ${(sameItems.rate / baselineRate).toFixed(1)}× (per CPU-second ${(sameItems.cpuRate / baselineCpuRate).toFixed(1)}×); ${disagreements === 0 ? 'both agree on every item measured' : `MISMATCH on ${disagreements} items`}`,
  );
} else {
  console.log(`combined RegExp baseline: its process died (${'failed' in baselineResult ? baselineResult.failed : ''}); no ratio`);
}

// ---- preview ------------------------------------------------------------------------------------

const preview = PREVIEW ? await measurePreview({ stories: STORIES, previews: PREVIEWS, vocabulary }) : undefined;

// ---- verdicts -----------------------------------------------------------------------------------

const targets = [
  { name: 'compile time', target: '≤ 2 s', value: `${(compileMs / 1000).toFixed(2)} s`, pass: compileMs <= 2000 },
  { name: 'heap after compile', target: '≤ 300 MB', value: gc ? `${heapMb.toFixed(0)} MB` : 'not measured (no --expose-gc)', pass: gc !== undefined && heapMb <= 300 },
  { name: 'live config: read + compile', target: '≤ 2 s', value: `${(liveConfig.ms / 1000).toFixed(2)} s`, pass: liveConfig.ms <= 2000 },
  { name: 'live config: heap', target: '≤ 300 MB', value: gc ? `${liveConfig.heapMb.toFixed(0)} MB` : 'not measured (no --expose-gc)', pass: gc !== undefined && liveConfig.heapMb <= 300 },
  { name: 'items matched per second (wall)', target: '≥ 2,000', value: Math.round(oursRate).toLocaleString('en'), pass: oursRate >= 2000 },
  { name: 'items matched per CPU-second', target: '≥ 2,000', value: Math.round(oursCpuRate).toLocaleString('en'), pass: oursCpuRate >= 2000 },
  ...(preview ? [{ name: 'preview p95 (warm, embedded store)', target: '≤ 500 ms', value: `${preview.warm.p95.toFixed(0)} ms`, pass: preview.warm.p95 <= 500 }] : []),
];
console.log('\n| target | goal | measured | verdict |');
console.log('| --- | --- | ---: | --- |');
for (const t of targets) console.log(`| ${t.name} | ${t.target} | ${t.value} | ${t.pass ? 'PASS' : 'FAIL'} |`);
console.log(`| ours ÷ combined RegExp (same items) | (reported) | ${baseline ? `${(sameItems.rate / baselineRate).toFixed(1)}× wall, ${(sameItems.cpuRate / baselineCpuRate).toFixed(1)}× CPU` : 'baseline died'} | |`);
console.log(`(load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(', ')} on ${cpus().length} cores: wall-clock rates drop when other work shares the machine)`);

writeFileSync(
  RESULTS_URL,
  `${JSON.stringify(
    {
      generatedAt: new Date().toISOString(),
      node: process.version,
      subscribers: SUBSCRIBERS,
      alertsPerSubscriber: ALERTS_EACH,
      configTopics: CONFIG_TOPICS,
      queries: topics.length,
      distinctQueries: new Set(alertQueries).size,
      distinctTerms: terms,
      compile: { ms: compileMs, heapMb: gc ? heapMb : null, rssMb: gc ? rssMb : null },
      liveConfig: { ...liveConfig, heapMb: gc ? liveConfig.heapMb : null, rssMb: gc ? liveConfig.rssMb : null },
      corpus: { items: ITEMS, japanese, mb: corpusMb },
      match: {
        itemsPerSecond: oursRate,
        itemsPerSecondPasses: passRates,
        itemsPerCpuSecond: oursCpuRate,
        mbPerSecond: corpusMb / ours.seconds,
        itemsMatched: matchedItems,
        hits,
        hitsPerItem: { p50: quantile(perItem, 0.5), p90: quantile(perItem, 0.9), max: perItem.at(-1) },
        queriesHit: alertsHit,
        configTopicsOnly: configOnly,
      },
      baseline: baseline
        ? { method: 'combined RegExp', buildMs: baseline.buildMs, items: baseline.items, itemsPerSecond: baselineRate, itemsPerCpuSecond: baselineCpuRate, oursOnSameItems: sameItems, ratio: sameItems.rate / baselineRate, cpuRatio: sameItems.cpuRate / baselineCpuRate, disagreements }
        : { method: 'combined RegExp', failed: 'failed' in baselineResult ? baselineResult.failed : '' },
      loadAverage: loadavg(),
      preview: preview ?? null,
      targets,
    },
    null,
    2,
  )}\n`,
);
console.log(`\nwritten to ${RESULTS_URL.pathname}`);
if (disagreements > 0) process.exit(1);
