import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_USER_AGENT, HttpFeedFetcher } from '../../../lambda/adapters/http/http-feed-fetcher.ts';
import type { FeedError } from '../../../lambda/core/errors/feed-error.ts';
import { parseFeed } from '../../../lambda/core/feed/parse-feed.ts';
import type { ParsedFeed } from '../../../lambda/core/model.ts';
import type { FetchOptions, FetchOutcome, Validators } from '../../../lambda/core/ports/feed-fetcher.ts';
import { type FeedServer, feedFixture, startFeedServer } from '../../support/feed-server.ts';

// The test server is on 127.0.0.1, so these tests allow private networks; the SSRF tests below
// show the same URLs refused when they are not allowed.
const options: FetchOptions = { timeoutMs: 5_000, maxBytes: 1_000_000, allowPrivateNetworks: true };
const RSS = 'application/rss+xml; charset=UTF-8';

let server: FeedServer;
const fetcher = new HttpFeedFetcher();

beforeAll(async () => {
  server = await startFeedServer({
    '/nhk.xml': { body: feedFixture('nhk-cat0.xml'), headers: { 'content-type': RSS } },
    '/jpcert.rdf': { body: feedFixture('jpcert-rdf.xml'), headers: { 'content-type': 'application/rdf+xml' } },
    '/atom.xml': { body: feedFixture('therecord-atom.xml'), headers: { 'content-type': 'application/atom+xml' } },
    '/sjis-declared.xml': { body: feedFixture('sjis-rss.xml'), headers: { 'content-type': 'text/xml' } },
    '/sjis-header.xml': { body: feedFixture('sjis-rss.xml'), headers: { 'content-type': 'application/rss+xml; charset="Shift_JIS"' } },
    '/cp1252.xml': { body: feedFixture('cp1252-rss.xml'), headers: { 'content-type': 'application/rss+xml; charset=windows-1252' } },
    '/cp1252-as-latin1.xml': { body: feedFixture('cp1252-rss.xml'), headers: { 'content-type': 'text/xml; charset=ISO-8859-1' } },
    '/gzip.xml': { body: feedFixture('nhk-cat0.xml'), gzip: true, headers: { 'content-type': RSS } },
    '/brotli.xml': { body: feedFixture('nhk-cat0.xml'), encoding: 'br', headers: { 'content-type': RSS } },
    '/deflate.xml': { body: feedFixture('nhk-cat0.xml'), encoding: 'deflate', headers: { 'content-type': RSS } },
    // Raw deflate (no zlib wrapper) under the `deflate` label, as many servers send it.
    '/raw-deflate.xml': { body: zlib.deflateRawSync(feedFixture('nhk-cat0.xml')), headers: { 'content-type': RSS, 'content-encoding': 'deflate' } },
    '/conditional.xml': {
      body: feedFixture('therecord-atom.xml'),
      etag: '"v42"',
      lastModified: 'Tue, 14 May 2024 15:00:00 GMT',
    },
    '/error.xml': { status: 500, body: 'Internal Server Error' },
    '/html': { body: feedFixture('nikkei-like.html'), headers: { 'content-type': 'text/html; charset=utf-8' } },
    '/never-ends.xml': { body: '<?xml version="1.0"?><rss version="2.0"><channel><title>slow', neverEnd: true },
    '/slow-headers.xml': { body: feedFixture('nhk-cat0.xml'), delayMs: 3_000 },
    '/bombs/laughs.xml': { body: feedFixture('billion-laughs.xml') },
    '/bombs/xxe.xml': { body: feedFixture('xxe.xml') },
    '/bad-date.xml': { body: feedFixture('bad-date-rss.xml') },
    '/no-link.xml': { body: feedFixture('no-link-rss.xml') },
  });
  // A redirect chain: /hop/N redirects to /hop/N-1 (relative Location), /hop/0 serves the feed.
  for (let n = 1; n <= 6; n += 1) server.route(`/hop/${n}`, { redirect: n % 2 ? `${n - 1}` : `/hop/${n - 1}` });
  server.route('/hop/0', { body: feedFixture('nhk-cat0.xml') });
});

afterAll(async () => {
  await server.close();
});

async function fetchPath(path: string, validators: Validators = {}, extra: Partial<FetchOptions> = {}): Promise<FetchOutcome> {
  return fetcher.fetch(server.url(path), validators, { ...options, ...extra });
}

async function fetchFeed(path: string): Promise<ParsedFeed> {
  const outcome = await fetchPath(path);
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return parseFeed(outcome.body, outcome.finalUrl);
}

function errorOf(outcome: FetchOutcome): FeedError {
  if (outcome.kind !== 'error') throw new Error(`expected an error, got ${outcome.kind}`);
  return outcome.error;
}

async function parseFailureKind(path: string): Promise<string> {
  try {
    await fetchFeed(path);
  } catch (err) {
    return (err as FeedError).kind;
  }
  return 'parsed';
}

describe('HttpFeedFetcher against a local feed server', () => {
  it('fetches an RSS 2.0 feed in UTF-8 with Japanese text', async () => {
    const feed = await fetchFeed('/nhk.xml');

    expect(feed.entries.map((e) => e.title)).toEqual([
      'JAXAにサイバー攻撃 中国人民解放軍の関与指摘',
      '東京株式市場 日経平均株価 値上がり',
      '関東甲信で激しい雨のおそれ 土砂災害に警戒を',
    ]);
  });

  it('sends a clear User-Agent and asks for compressed bodies', async () => {
    await fetchPath('/nhk.xml');

    const request = server.requests.findLast((r) => r.path === '/nhk.xml');
    expect(request?.headers['user-agent']).toBe(DEFAULT_USER_AGENT);
    expect(request?.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('fetches an RSS 1.0 (RDF) feed', async () => {
    const feed = await fetchFeed('/jpcert.rdf');
    expect(feed.entries[0]?.title).toBe('Tick (BRONZE BUTLER) による攻撃に関する注意喚起');
  });

  it('fetches an Atom 1.0 feed and resolves its relative links against the feed URL', async () => {
    const feed = await fetchFeed('/atom.xml');
    expect(feed.entries[0]?.url).toBe(server.url('/japan-jaxa-cyberattack-unit-61419#comments'));
  });

  it.each([['/sjis-declared.xml'], ['/sjis-header.xml']])(
    'decodes a Shift_JIS feed (%s), including CP932 characters',
    async (path) => {
      const feed = await fetchFeed(path);

      expect(feed.title).toBe('セキュリティニュース(Shift_JIS版)');
      expect(feed.entries[0]?.title).toBe('宇宙航空研究開発機構への不正アクセス、1第三者調査を実施');
      expect(feed.entries[0]?.text).toContain('JAXAは、外部からの不正アクセス');
      expect(feed.entries[0]?.categories).toEqual(['不正アクセス']);
      expect(feed.entries[1]?.text).toBe('髙橋氏(情報セキュリティ担当)が説明した。');
    },
  );

  it.each([['/cp1252.xml'], ['/cp1252-as-latin1.xml']])(
    'decodes a windows-1252 feed (%s) with curly quotes and accents',
    async (path) => {
      const feed = await fetchFeed(path);

      expect(feed.title).toBe('Café Sécurité – Weekly');
      expect(feed.entries[0]?.title).toBe('“Tick” returns: défense contractors targeted');
      expect(feed.entries[0]?.text).toContain('group’s tooling — still “ShadowPad-like” — costs €0');
    },
  );

  it('decodes a UTF-16 feed with a byte-order mark', async () => {
    // Prepare
    const text = feedFixture('nhk-cat0.xml').toString('utf8').replace('encoding="UTF-8"', 'encoding="UTF-16"');
    server.route('/utf16.xml', { body: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) });

    // Act
    const feed = await fetchFeed('/utf16.xml');

    // Assess
    expect(feed.entries[2]?.title).toBe('関東甲信で激しい雨のおそれ 土砂災害に警戒を');
  });

  it.each([['/gzip.xml'], ['/brotli.xml'], ['/deflate.xml'], ['/raw-deflate.xml']])('decodes a compressed body (%s)', async (path) => {
    const outcome = await fetchPath(path);

    expect(outcome.kind).toBe('ok');
    if (outcome.kind !== 'ok') return;
    expect(outcome.bytes).toBe(feedFixture('nhk-cat0.xml').length);
    expect((await parseFeed(outcome.body, outcome.finalUrl)).entries).toHaveLength(3);
  });

  it('follows a chain of 3 redirects with relative Locations', async () => {
    const outcome = await fetchPath('/hop/3');

    expect(outcome.kind).toBe('ok');
    expect(outcome.kind === 'ok' && outcome.finalUrl).toBe(server.url('/hop/0'));
  });

  it('follows 5 redirects but refuses a 6th', async () => {
    expect((await fetchPath('/hop/5')).kind).toBe('ok');
    expect(errorOf(await fetchPath('/hop/6')).kind).toBe('too-many-redirects');
  });

  it('returns the validators, and gets 304 when it sends them back', async () => {
    // Prepare
    const first = await fetchPath('/conditional.xml');
    if (first.kind !== 'ok') throw new Error(first.kind);
    expect(first.etag).toBe('"v42"');
    expect(first.lastModified).toBe('Tue, 14 May 2024 15:00:00 GMT');

    // Act
    const second = await fetchPath('/conditional.xml', { etag: first.etag, lastModified: first.lastModified });

    // Assess
    expect(second).toEqual({ kind: 'not-modified', status: 304, finalUrl: server.url('/conditional.xml') });
    const request = server.requests.findLast((r) => r.path === '/conditional.xml');
    expect(request?.headers['if-none-match']).toBe('"v42"');
    expect(request?.headers['if-modified-since']).toBe('Tue, 14 May 2024 15:00:00 GMT');
  });

  it('sends no conditional headers when it has no validators', async () => {
    await fetchPath('/conditional.xml');

    const request = server.requests.findLast((r) => r.path === '/conditional.xml');
    expect(request?.headers['if-none-match']).toBeUndefined();
    expect(request?.headers['if-modified-since']).toBeUndefined();
  });

  it('reports a 500 as an http-status error carrying the status', async () => {
    const error = errorOf(await fetchPath('/error.xml'));

    expect(error.kind).toBe('http-status');
    expect(error.status).toBe(500);
  });

  it('reports a 404 the same way', async () => {
    expect(errorOf(await fetchPath('/missing.xml')).status).toBe(404);
  });

  it('fetches an HTML page, which the parser refuses as not a feed', async () => {
    expect(await parseFailureKind('/html')).toBe('not-a-feed');
  });

  it('gives up on a body that never ends at the deadline', { timeout: 10_000 }, async () => {
    const error = errorOf(await fetchPath('/never-ends.xml', {}, { timeoutMs: 300 }));
    expect(error.kind).toBe('timeout');
  });

  it('gives up on a server that never answers at the deadline', { timeout: 10_000 }, async () => {
    expect(errorOf(await fetchPath('/slow-headers.xml', {}, { timeoutMs: 300 })).kind).toBe('timeout');
  });

  it('keeps one deadline across redirects', { timeout: 10_000 }, async () => {
    server.route('/slow-redirect', { redirect: '/slow-headers.xml', delayMs: 200 });
    expect(errorOf(await fetchPath('/slow-redirect', {}, { timeoutMs: 300 })).kind).toBe('timeout');
  });

  it('refuses a body over the cap announced by Content-Length', async () => {
    server.route('/big-declared.xml', { body: Buffer.alloc(300_000, 0x20) });
    expect(errorOf(await fetchPath('/big-declared.xml', {}, { maxBytes: 100_000 })).kind).toBe('too-large');
  });

  it('refuses a chunked body once it passes the cap', async () => {
    server.route('/big-chunked.xml', { body: Buffer.alloc(3_000_000, 0x20), chunked: true });
    expect(errorOf(await fetchPath('/big-chunked.xml', {}, { maxBytes: 100_000 })).kind).toBe('too-large');
  });

  it('counts decoded bytes: a small gzip bomb is refused as too large', async () => {
    // Prepare: 16 MB of zeros compress to about 16 KB.
    const bomb = zlib.gzipSync(Buffer.alloc(16 * 1024 * 1024));
    server.route('/gzip-bomb.xml', { body: bomb, headers: { 'content-encoding': 'gzip' } });
    expect(bomb.length).toBeLessThan(50_000);

    // Act / Assess
    expect(errorOf(await fetchPath('/gzip-bomb.xml', {}, { maxBytes: 1_000_000 })).kind).toBe('too-large');
  });

  it('counts decoded bytes of raw deflate too: a small raw-deflate bomb is refused as too large', async () => {
    const bomb = zlib.deflateRawSync(Buffer.alloc(16 * 1024 * 1024));
    server.route('/deflate-bomb.xml', { body: bomb, headers: { 'content-encoding': 'deflate' } });

    expect(errorOf(await fetchPath('/deflate-bomb.xml', {}, { maxBytes: 1_000_000 })).kind).toBe('too-large');
  });

  it('fetches an entity bomb and an external-entity document, which the parser refuses as unsafe', async () => {
    expect(await parseFailureKind('/bombs/laughs.xml')).toBe('unsafe-xml');
    expect(await parseFailureKind('/bombs/xxe.xml')).toBe('unsafe-xml');
  });

  it('keeps the good entries of a feed with one unreadable date', async () => {
    const feed = await fetchFeed('/bad-date.xml');

    expect(feed.entries.map((e) => e.title)).toEqual([
      'Tick group targets defense contractors',
      'Patch Tuesday roundup',
      'Chinese APT abuses cloud storage',
    ]);
    expect(feed.entries[1]?.publishedAt).toBeUndefined();
  });

  it('keys an entry without a link by its guid', async () => {
    const feed = await fetchFeed('/no-link.xml');

    expect(feed.entries[0]?.key).toBe(`guid:${server.url('/no-link.xml')} kyodo-flash-2024-05-14-0001`);
  });

  it('reports a refused connection as a network error, never a rejection', async () => {
    const closed = await startFeedServer();
    const url = closed.url('/feed.xml');
    await closed.close();

    expect(errorOf(await fetcher.fetch(url, {}, options)).kind).toBe('network');
  });

  it('refuses a non-http scheme', async () => {
    expect(errorOf(await fetcher.fetch('file:///etc/passwd', {}, options)).kind).toBe('blocked-address');
  });
});
