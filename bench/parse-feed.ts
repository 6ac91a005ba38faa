// Prints parse throughput for a large RSS feed and how long refusing an entity bomb takes.
// Run: npx tsx bench/parse-feed.ts
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseFeed } from '../lambda/core/feed/parse-feed.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../test/fixtures/feeds/${name}`, import.meta.url), 'utf8');

async function main(): Promise<void> {
  const nhk = fixture('nhk-cat0.xml');
  const items = nhk.slice(nhk.indexOf('<item>'), nhk.lastIndexOf('</item>') + 7);
  const big = nhk.replace(items, items.repeat(100)); // 300 entries
  const atom = fixture('therecord-atom.xml');
  const entries = atom.slice(atom.indexOf('<entry>'), atom.lastIndexOf('</entry>') + 8);
  const bigAtom = atom.replace(entries, entries.repeat(150)); // 300 entries

  for (const [name, xml] of [['RSS 2.0 (NHK-like, Japanese)', big], ['Atom 1.0 (HTML content)', bigAtom]] as const) {
    await parseFeed(xml, 'https://example.com/feed'); // warm-up
    const runs = 20;
    const start = performance.now();
    let count = 0;
    for (let i = 0; i < runs; i += 1) count += (await parseFeed(xml, 'https://example.com/feed')).entries.length;
    const ms = performance.now() - start;
    const mb = (Buffer.byteLength(xml) * runs) / 1e6;
    console.log(`${name}: ${(count / (ms / 1000)).toFixed(0)} entries/s, ${(mb / (ms / 1000)).toFixed(2)} MB/s, ${(ms / runs).toFixed(1)} ms per ${count / runs}-entry feed`);
  }

  const bomb = fixture('billion-laughs.xml');
  const runs = 1000;
  const start = performance.now();
  for (let i = 0; i < runs; i += 1) await parseFeed(bomb, 'https://example.com/feed').catch(() => undefined);
  console.log(`billion laughs refused in ${((performance.now() - start) / runs * 1000).toFixed(1)} µs on average`);
}

await main();
