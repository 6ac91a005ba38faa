import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer, type Route } from '../support/feed-server.ts';
import { runCli, type CliResult } from './support/cli.ts';
import { writeConfig } from './support/config.ts';
import { plainText, readOutbox, type Email } from './support/outbox.ts';

// The fixture corpus (test/fixtures/real-world/, built from the RSS 0.9x/1.0/2.0 and Atom 0.3/1.0
// specifications and the shapes real feeds take) through the whole pipeline in one `newshound run`:
// each feed fetched from the local server as real bytes, parsed, matched, and every story it must
// yield found in a digest with the right title and link. manifest.json says why each feed is there.

interface Manifest {
  file: string;
  why: string;
  contentType: string;
  /** Where the feed is served (default `/<file>`); `{origin}` in links is the server's origin. */
  path?: string;
  redirectFrom?: string;
  encoding?: 'gzip' | 'deflate' | 'br' | 'raw-deflate';
  entries: Array<{ title: string; link?: string }>;
}

const DIR = fileURLToPath(new URL('../fixtures/real-world/', import.meta.url));
const corpus = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as Manifest[];
const NOW = '2026-03-02T00:00:00Z';

function routeFor(feed: Manifest): Route {
  const body = readFileSync(join(DIR, feed.file));
  const headers = { 'content-type': feed.contentType };
  if (feed.encoding === 'raw-deflate') return { body: zlib.deflateRawSync(body), headers: { ...headers, 'content-encoding': 'deflate' } };
  return { body, headers, ...(feed.encoding ? { encoding: feed.encoding } : {}) };
}

/** Every story in a digest's text part: its title line and, when it has one, its link line. */
function storiesIn(email: Email): Array<{ title: string; link?: string }> {
  const lines = plainText(email).split('\n');
  const stories: Array<{ title: string; link?: string }> = [];
  lines.forEach((line, i) => {
    if (!line.startsWith('* ')) return;
    const next = lines[i + 1] ?? '';
    const title = line.slice(2);
    stories.push(/^ {2}https?:\/\//.test(next) ? { title, link: next.trim() } : { title });
  });
  return stories;
}

const key = (s: { title: string; link?: string }) => `${s.title} <${s.link ?? 'no link'}>`;

describe('the real-world feed corpus through newshound run', () => {
  let server: FeedServer;
  let dir: string;
  let result: CliResult;
  let found: Set<string>;

  beforeAll(async () => {
    server = await startFeedServer();
    for (const feed of corpus) {
      const path = feed.path ?? `/${feed.file}`;
      server.route(path, routeFor(feed));
      if (feed.redirectFrom) server.route(feed.redirectFrom, { status: 301, redirect: path });
    }
    dir = mkdtempSync(join(tmpdir(), 'newshound-corpus-'));
    // Four topics, one subscriber each, so no digest grows long; every story matches one of them.
    const topics = [
      { id: 'jaxa', name: 'JAXA', query: 'JAXA' },
      { id: 'tick', name: 'Tick', query: '=Tick' },
      { id: 'unit', name: 'Unit 61419', query: '"Unit 61419"' },
      { id: 'scripts', name: 'Other scripts', query: 'サイバー OR 宇宙 OR 해킹 OR 黑客 OR хакер*' },
    ];
    const config = writeConfig(join(dir, 'newshound.yaml'), {
      feeds: corpus.map((feed) => ({ url: server.url(feed.redirectFrom ?? feed.path ?? `/${feed.file}`) })),
      topics,
      subscribers: topics.map((t) => ({ email: `${t.id}@example.com`, topics: [t.id], frequency: 'immediate' })),
      mail: { from: 'alerts@example.com' },
    });
    const outbox = join(dir, 'outbox');
    result = await runCli(['run', '--config', config, '--data', join(dir, 'data'), '--outbox', outbox, '--now', NOW]);
    found = new Set((await readOutbox(outbox)).flatMap(storiesIn).map(key));
  });

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`holds at least 60 feeds`, () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
  });

  it('fetches and reads every feed of the corpus in one run', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${corpus.length} feeds (0 failed)`);
  });

  it.each(corpus.map((feed) => [feed.file, feed] as const))('%s: every story arrives with its title and link', (_, feed) => {
    const expected = feed.entries.map((e) => key({ title: e.title || '(untitled)', ...(e.link ? { link: e.link.replace('{origin}', server.origin) } : {}) }));
    expect(expected.filter((story) => !found.has(story)), feed.why).toEqual([]);
  });

  it('delivers no story the corpus does not list (nothing garbled, nothing twice)', () => {
    const expected = new Set(
      corpus.flatMap((feed) => feed.entries.map((e) => key({ title: e.title || '(untitled)', ...(e.link ? { link: e.link.replace('{origin}', server.origin) } : {}) }))),
    );
    expect([...found].filter((story) => !expected.has(story))).toEqual([]);
  });
});
