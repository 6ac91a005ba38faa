// Prints parse + normalize throughput on well-formed 500 KB RSS 2.0 and Atom 1.0 feeds, how long
// refusing an entity bomb takes, and the time and peak memory of each hostile feed (each in a
// fresh process, so its peak RSS is its own).
// Run: npx tsx bench/parse-feed.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { FeedError } from '../lambda/core/errors/feed-error.ts';
import { parseFeed } from '../lambda/core/feed/parse-feed.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../test/fixtures/feeds/${name}`, import.meta.url), 'utf8');

const TARGET_BYTES = 500_000;

/** The fixture with its entries repeated (each with its own link) until the document is ~500 KB. */
function grow(xml: string, open: string, close: string): string {
  const start = xml.indexOf(open);
  const end = xml.lastIndexOf(close) + close.length;
  const entries = xml.slice(start, end);
  const parts: string[] = [];
  let size = Buffer.byteLength(xml);
  for (let i = 0; size < TARGET_BYTES; i += 1) {
    // A distinct path per copy, so every entry is a story of its own as in a real feed.
    const copy = entries.replace(/(\.html|unit-61419|hospital-chain)/g, `$1-${i}`);
    parts.push(copy);
    size += Buffer.byteLength(copy);
  }
  return xml.slice(0, start) + parts.join('\n') + xml.slice(end);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const channel = (items: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title><link>https://hostile.example/</link>${items}</channel></rss>`;
const story = (title: string, link: string, description = 'JAXA said so.') =>
  `<item><title>${title}</title><link>${link}</link><description>${description}</description></item>`;
const nested = (n: number, escaped: boolean) => {
  const html = `Investigators said ${'<b>'.repeat(n)}more${'</b>'.repeat(n)}`;
  const body = escaped ? html.replace(/</g, '&lt;').replace(/>/g, '&gt;') : `<![CDATA[${html}]]>`;
  return channel(story('Deep markup', 'https://hostile.example/deep', body) + story('After', 'https://hostile.example/after'));
};

/** The hostile feeds of the end-to-end test (test/e2e/hostile-feeds.e2e.test.ts), and a normal one to compare. */
const HOSTILE: Record<string, () => string> = {
  'normal 3-item feed': () => channel(story('A', 'https://hostile.example/a') + story('B', 'https://hostile.example/b')),
  'XML nested 10,000 deep': () => channel(`<item><title>t</title>${'<x>'.repeat(10_000)}${'</x>'.repeat(10_000)}</item>`),
  '250,000 empty elements': () => channel(`<item><title>t</title><description>${'<b/>'.repeat(250_000)}</description></item>`),
  '5,000 nested <b> in CDATA (35 KB)': () => nested(5_000, false),
  '200,000 nested <b> in CDATA (1.4 MB)': () => nested(200_000, false),
  '700,000 nested <b> in CDATA (4.9 MB)': () => nested(700_000, false),
  '250,000 nested <b> escaped (4.8 MB)': () => nested(250_000, true),
  '&nbsp; and &#1; in items': () => channel(story('A&nbsp;b', 'https://hostile.example/a') + story('C&#1;d', 'https://hostile.example/c')),
  '400 KB title and 400 KB link': () =>
    channel(story(`T ${'long title '.repeat(40_000)}`, 'https://hostile.example/t') + story('L', `https://hostile.example/${'x'.repeat(400_000)}`)),
};

/**
 * Child process: parse one hostile feed read from a file (as the fetcher hands over a decoded body,
 * so building the test document does not count), print time, outcome and peak RSS as JSON.
 */
async function runCase(file: string): Promise<void> {
  const xml = readFileSync(file, 'utf8');
  const start = performance.now();
  let outcome: string;
  try {
    const feed = await parseFeed(xml, 'https://hostile.example/feed');
    outcome = `${feed.entries.length} entries, ${feed.dropped} dropped${feed.repaired ? ', repaired' : ''}`;
  } catch (err) {
    outcome = err instanceof FeedError ? err.toSummary() : String(err);
  }
  const ms = performance.now() - start;
  console.log(JSON.stringify({ ms, outcome, maxRssMb: process.resourceUsage().maxRSS / 1024, mb: Buffer.byteLength(xml) / 1e6 }));
}

function hostileTable(): void {
  console.log('\nhostile feeds (each in a fresh process):');
  console.log('| feed | size | time | peak RSS | outcome |\n| --- | ---: | ---: | ---: | --- |');
  const dir = mkdtempSync(join(tmpdir(), 'newshound-bench-'));
  for (const [name, build] of Object.entries(HOSTILE)) {
    const file = join(dir, 'feed.xml');
    writeFileSync(file, build());
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--case', file], { encoding: 'utf8' });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    try {
      const r = JSON.parse(line) as { ms: number; outcome: string; maxRssMb: number; mb: number };
      console.log(`| ${name} | ${r.mb.toFixed(2)} MB | ${r.ms.toFixed(0)} ms | ${r.maxRssMb.toFixed(0)} MB | ${r.outcome} |`);
    } catch {
      console.log(`| ${name} | | | | failed: ${child.stderr.trim().split('\n').pop()} |`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const rss = grow(fixture('nhk-cat0.xml'), '<item>', '</item>');
  const atom = grow(fixture('therecord-atom.xml'), '<entry>', '</entry>');

  for (const [name, xml] of [['RSS 2.0 (NHK-like, Japanese)', rss], ['Atom 1.0 (HTML content)', atom]] as const) {
    const entries = (await parseFeed(xml, 'https://example.com/feed')).entries.length; // warm-up
    const runs = 25;
    const perRun: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const start = performance.now();
      await parseFeed(xml, 'https://example.com/feed');
      perRun.push(performance.now() - start);
    }
    const ms = median(perRun);
    const kb = Buffer.byteLength(xml) / 1000;
    console.log(
      `${name}, ${kb.toFixed(0)} KB, ${entries} entries: ${(entries / (ms / 1000)).toFixed(0)} entries/s ` +
        `(median of ${runs}; ${ms.toFixed(1)} ms per feed, best ${Math.min(...perRun).toFixed(1)} ms)`,
    );
  }

  const bomb = fixture('billion-laughs.xml');
  const runs = 1000;
  const start = performance.now();
  for (let i = 0; i < runs; i += 1) await parseFeed(bomb, 'https://example.com/feed').catch(() => undefined);
  console.log(`billion laughs refused in ${((performance.now() - start) / runs * 1000).toFixed(1)} µs on average`);
  hostileTable();
}

const caseAt = process.argv.indexOf('--case');
if (caseAt !== -1) await runCase(process.argv[caseAt + 1] ?? '');
else await main();
