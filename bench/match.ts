// Matching throughput: our one-pass matcher (compileTopics) against one RegExp evaluator per topic
// (baseline A) and one combined alternation RegExp (baseline B), on the same generated corpus.
// Then the personal-alert case: 30,000 generated alert queries (bench/support/query-generator.ts)
// over a realistic English and Japanese news corpus, against baseline B.
// Run: npx tsx bench/match.ts [--items N] [--budget SECONDS] [--topics N (only that count)] [--alerts N (0: none)]
// Exits 1 when the methods disagree on any (item, topic) pair they both measured.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { MatchDocument } from '../lambda/core/model.ts';
import { compileTopics } from '../lambda/core/query/compile-topics.ts';
import { combinedRegExp, perTopicRegExp, type Matcher } from './match-baselines.ts';
import { makeCorpus, makeTopics, makeVocabulary } from './match-corpus.ts';
import { makeAlertQueries, makeNewsItems, newsVocabulary } from './support/query-generator.ts';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const ITEMS = arg('items', 20_000);
/** Seconds a baseline may run per topic count; past it, it is measured on the items done so far. */
const BUDGET = arg('budget', 20);
const only = arg('topics', 0);
/** Personal alerts of the last case; by default skipped when --topics picks one count. */
const ALERTS = arg('alerts', only > 0 ? 0 : 30_000);
/**
 * The alert case runs in a process of its own: the earlier cases' compiled RegExps leave V8's code
 * space too full for baseline B's 30,000 queries, and a process that dies there would take every
 * figure with it.
 */
const ALERTS_CHILD = '--alerts-child';
const ALERTS_LINE = 'ALERTS ';
const inAlertsChild = process.argv.includes(ALERTS_CHILD);
const TOPIC_COUNTS = inAlertsChild ? [] : only > 0 ? [only] : [10, 1_000, 10_000];

interface Run {
  method: string;
  items: number;
  seconds: number;
  bytes: number;
  results: string[][];
}

const docBytes = (d: MatchDocument): number => Buffer.byteLength(d.title) + Buffer.byteLength(d.text) + d.categories.reduce((n, c) => n + Buffer.byteLength(c), 0);

/** Runs `match` over the corpus in order until done or out of budget (after a short warm-up). */
function measure(method: string, match: Matcher, corpus: MatchDocument[], bytes: number[], budgetSeconds: number): Run {
  for (let i = 0; i < Math.min(50, corpus.length); i++) match(corpus[i] as MatchDocument);
  const results: string[][] = [];
  let done = 0;
  let byteCount = 0;
  const start = performance.now();
  const deadline = start + budgetSeconds * 1000;
  while (done < corpus.length && (done % 16 !== 0 || performance.now() < deadline)) {
    results.push(match(corpus[done] as MatchDocument));
    byteCount += bytes[done] as number;
    done++;
  }
  return { method, items: done, seconds: (performance.now() - start) / 1000, bytes: byteCount, results };
}

/**
 * Baseline A in slices of topics: V8 keeps compiled RegExp code in a 128 MB code space, which
 * 10,000 topics' RegExps overflow (the process dies), so each slice is compiled, warmed up, timed on
 * the same items, and dropped. The times add up; the results are concatenated in topic order.
 */
function measureSliced(method: string, topics: Array<{ id: string; query: string }>, corpus: MatchDocument[], bytes: number[], budgetSeconds: number): Run {
  const SLICE = 1_000;
  const slices = Math.ceil(topics.length / SLICE);
  let total: Run | undefined;
  for (let s = 0; s < slices; s++) {
    const match = perTopicRegExp(topics.slice(s * SLICE, (s + 1) * SLICE));
    const items = total === undefined ? corpus : corpus.slice(0, total.items);
    const run = measure(method, match, items, bytes, total === undefined ? budgetSeconds / slices : Infinity);
    if (total === undefined) total = run;
    else {
      total.seconds += run.seconds;
      run.results.forEach((r, i) => {
        (total as Run).results[i]?.push(...r);
      });
    }
  }
  return total as Run;
}

/** (item, topic) pairs on which two runs differ, over the items both measured. */
function differences(a: Run, b: Run): string[] {
  const out: string[] = [];
  const n = Math.min(a.items, b.items);
  for (let i = 0; i < n && out.length < 5; i++) {
    const x = (a.results[i] as string[]).join(',');
    const y = (b.results[i] as string[]).join(',');
    if (x !== y) out.push(`item ${i}: ${a.method} [${x}] vs ${b.method} [${y}]`);
  }
  return out;
}

const vocabulary = makeVocabulary();
const corpus = inAlertsChild ? [] : makeCorpus(ITEMS, vocabulary);
const bytes = corpus.map(docBytes);
const totalMb = bytes.reduce((a, b) => a + b, 0) / 1e6;
const japanese = corpus.filter((d) => /[\u3040-\u30ff\u4e00-\u9fff]/u.test(d.text)).length;
if (!inAlertsChild) {
  console.log(`corpus: ${ITEMS} items (${japanese} Japanese, ${ITEMS - japanese} English), ${totalMb.toFixed(1)} MB UTF-8; node ${process.version}`);
  console.log(`baselines stop after ${BUDGET}s per topic count and are measured on the items done by then (the "items" column);`);
  console.log('baseline A runs in slices of 1,000 topics over the same items, times added (V8 cannot hold 10,000 topics of compiled RegExps)\n');
}

const rows: string[] = [];
const verdicts: string[] = [];
let mismatch = false;
for (const topicCount of TOPIC_COUNTS) {
  const topics = makeTopics(topicCount, vocabulary);
  const compileStart = performance.now();
  const matcher = compileTopics(topics);
  const compileMs = performance.now() - compileStart;
  const ours = measure('ours', (d) => matcher.match(d).map((m) => m.topicId), corpus, bytes, Infinity);
  const combined = combinedRegExp(topics);
  const runB = measure('B combined RegExp', combined, corpus, bytes, BUDGET);
  const runA = measureSliced('A RegExp per topic', topics, corpus, bytes, BUDGET);
  const pairs = ours.results.reduce((n, r) => n + r.length, 0);
  console.log(`${topicCount} topics: compiled in ${compileMs.toFixed(0)} ms; ${pairs} (item, topic) matches over the corpus; B has ${combined.groups} alternatives in ${combined.regexps} RegExps`);
  for (const other of [runA, runB]) {
    const diff = differences(ours, other);
    if (diff.length > 0) {
      mismatch = true;
      console.log(`  MISMATCH ours vs ${other.method}:\n    ${diff.join('\n    ')}`);
    } else {
      console.log(`  ours and ${other.method} agree on all ${other.items} items ${other.method} measured`);
    }
  }
  const rate = (r: Run) => r.items / r.seconds;
  for (const r of [ours, runA, runB]) {
    const partial = r.items < ITEMS ? ` (of ${ITEMS}, scaled)` : '';
    rows.push(`| ${topicCount} | ${r.method} | ${r.items}${partial} | ${Math.round(rate(r)).toLocaleString('en')} | ${(r.bytes / 1e6 / r.seconds).toFixed(2)} | ${(rate(ours) / rate(r)).toFixed(1)}× |`);
  }
  const vsA = rate(ours) / rate(runA);
  const vsB = rate(ours) / rate(runB);
  if (topicCount === 10_000) {
    verdicts.push(`10,000 topics: ours ${vsA.toFixed(0)}× baseline A (target ≥ 100×) ${vsA >= 100 ? 'MET' : 'MISSED'}`);
    verdicts.push(`10,000 topics: ours ${vsB.toFixed(1)}× baseline B (target ≥ 3×) ${vsB >= 3 ? 'MET' : 'MISSED'}`);
  }
  if (topicCount === 10) verdicts.push(`10 topics: ours ${vsB.toFixed(2)}× baseline B (target ≥ 0.5×) ${vsB >= 0.5 ? 'MET' : 'MISSED'}`);
}

/** The 30,000-alert case: ours and baseline B on the news corpus (bench/support/query-generator.ts). */
function alertCase(): { lines: string[]; rows: string[]; verdicts: string[]; mismatch: boolean } {
  const lines: string[] = [];
  const rows: string[] = [];
  const verdicts: string[] = [];
  let mismatch = false;
  const news = newsVocabulary();
  const alerts = makeAlertQueries(ALERTS, news).map((query, i) => ({ id: `alert:${i}`, query }));
  const items = makeNewsItems(ITEMS, news);
  const itemBytes = items.map(docBytes);
  const compileStart = performance.now();
  const matcher = compileTopics(alerts);
  const compileMs = performance.now() - compileStart;
  const ours = measure('ours', (d) => matcher.match(d).map((m) => m.topicId), items, itemBytes, Infinity);
  const combined = combinedRegExp(alerts);
  // At most 25 items: compiled to machine code, B's RegExps for 30,000 queries grow V8's code space
  // by over a megabyte per item until the process dies (out of memory) after some 40 (bench/alerts.ts).
  const runB = measure('B combined RegExp', combined, items.slice(0, 25), itemBytes, BUDGET);
  const pairs = ours.results.reduce((n, r) => n + r.length, 0);
  const label = `${ALERTS.toLocaleString('en')} alerts`;
  lines.push(`${label} (news corpus, ${ITEMS} items, ${(itemBytes.reduce((a, b) => a + b, 0) / 1e6).toFixed(1)} MB): compiled in ${compileMs.toFixed(0)} ms; ${pairs} (item, alert) matches, ${(pairs / ITEMS).toFixed(1)} per item; B has ${combined.groups} alternatives in ${combined.regexps} RegExps`);
  const diff = differences(ours, runB);
  if (diff.length > 0) {
    mismatch = true;
    lines.push(`  MISMATCH ours vs ${runB.method}:\n    ${diff.join('\n    ')}`);
  } else {
    lines.push(`  ours and ${runB.method} agree on all ${runB.items} items ${runB.method} measured`);
  }
  const rate = (r: Run) => r.items / r.seconds;
  for (const r of [ours, runB]) {
    const partial = r.items < ITEMS ? ` (of ${ITEMS}, scaled)` : '';
    rows.push(`| ${label} | ${r.method} | ${r.items}${partial} | ${Math.round(rate(r)).toLocaleString('en')} | ${(r.bytes / 1e6 / r.seconds).toFixed(2)} | ${(rate(ours) / rate(r)).toFixed(1)}× |`);
  }
  verdicts.push(`${label}: ours ${Math.round(rate(ours)).toLocaleString('en')} items/s (target ≥ 2,000) ${rate(ours) >= 2000 ? 'MET' : 'MISSED'}; ${(rate(ours) / rate(runB)).toFixed(1)}× baseline B`);
  return { lines, rows, verdicts, mismatch };
}

if (inAlertsChild) {
  process.stdout.write(`${ALERTS_LINE}${JSON.stringify(alertCase())}\n`);
  process.exit(0);
}
if (ALERTS > 0) {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--items', String(ITEMS), '--budget', String(BUDGET), '--alerts', String(ALERTS), ALERTS_CHILD], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = child.stdout.split('\n').find((l) => l.startsWith(ALERTS_LINE));
  if (child.status === 0 && line) {
    const result = JSON.parse(line.slice(ALERTS_LINE.length)) as ReturnType<typeof alertCase>;
    for (const l of result.lines) console.log(l);
    rows.push(...result.rows);
    verdicts.push(...result.verdicts);
    mismatch ||= result.mismatch;
  } else {
    const why = child.stderr.split('\n').find((l) => /FATAL ERROR|Error/.test(l)) ?? `exit ${child.status ?? child.signal}`;
    console.log(`${ALERTS.toLocaleString('en')} alerts: the case's process died (${why.trim()})`);
  }
}

console.log('\n| topics | method | items | items/s | MB/s | ours is |');
console.log('| ---: | --- | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(row);
console.log(`\n${verdicts.join('\n')}`);
if (mismatch) {
  console.log('\nFAIL: the methods disagree on the corpus');
  process.exit(1);
}
