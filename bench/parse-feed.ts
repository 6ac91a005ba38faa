// Prints parse + normalise throughput on well-formed 500 KB RSS 2.0 and Atom 1.0 feeds, and how
// long refusing an entity bomb takes.
// Run: npx tsx bench/parse-feed.ts
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
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
}

await main();
