import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpFeedFetcher } from '../../../lambda/adapters/http/http-feed-fetcher.ts';
import type { FeedError } from '../../../lambda/core/errors/feed-error.ts';
import type { FetchOutcome } from '../../../lambda/core/ports/feed-fetcher.ts';
import { type FeedServer, feedFixture, startFeedServer } from '../../support/feed-server.ts';

// What a feed's server says about when to ask again, as the scheduler reads it (docs/scheduling.md).

const options = { timeoutMs: 5_000, maxBytes: 1_000_000, allowPrivateNetworks: true };
const DATE = 'Tue, 14 May 2024 15:00:00 GMT';
const feed = (headers: Record<string, string>) => ({ body: feedFixture('nhk-cat0.xml'), headers: { 'content-type': 'application/rss+xml', ...headers } });

let server: FeedServer;
const fetcher = new HttpFeedFetcher();

beforeAll(async () => {
  server = await startFeedServer({
    '/max-age': feed({ 'cache-control': 'public, max-age=3600' }),
    '/s-maxage': feed({ 'cache-control': 's-maxage=600' }),
    '/both': feed({ 'cache-control': 'S-MaxAge=600, Max-Age="120"' }),
    '/aged': feed({ 'cache-control': 'max-age=600', age: '100' }),
    '/stale': feed({ 'cache-control': 'max-age=60', age: '100' }),
    '/expires': feed({ date: DATE, expires: 'Tue, 14 May 2024 15:30:00 GMT' }),
    '/expires-overridden': feed({ date: DATE, expires: 'Tue, 14 May 2024 15:30:00 GMT', 'cache-control': 'max-age=60' }),
    '/expired': feed({ date: DATE, expires: '0' }),
    '/no-cache': feed({ 'cache-control': 'no-cache, max-age=3600', date: DATE, expires: 'Tue, 14 May 2024 16:00:00 GMT' }),
    '/no-store': feed({ 'cache-control': 'max-age=3600, no-store' }),
    '/huge': feed({ 'cache-control': `max-age=${'9'.repeat(400)}` }),
    '/plain': feed({}),
    '/conditional': { ...feed({ 'cache-control': 'max-age=900' }), etag: '"v1"' },
    '/busy': { status: 429, headers: { 'retry-after': '120' }, body: 'slow down' },
    '/down': { status: 503, headers: { date: DATE, 'retry-after': 'Tue, 14 May 2024 16:00:00 GMT' }, body: 'maintenance' },
    '/down-past': { status: 503, headers: { date: DATE, 'retry-after': 'Tue, 14 May 2024 14:00:00 GMT' }, body: 'maintenance' },
    '/busy-no-header': { status: 429, body: 'slow down' },
    '/broken': { status: 500, headers: { 'retry-after': '120' }, body: 'oops' },
  });
});

afterAll(async () => {
  await server.close();
});

const fetchPath = (path: string, etag?: string): Promise<FetchOutcome> =>
  fetcher.fetch(server.url(path), etag ? { etag } : {}, options);

async function maxAgeOf(path: string): Promise<number | undefined> {
  const outcome = await fetchPath(path);
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${outcome.kind}`);
  return outcome.hints?.maxAgeSeconds;
}

async function errorOf(path: string): Promise<FeedError> {
  const outcome = await fetchPath(path);
  if (outcome.kind !== 'error') throw new Error(`expected an error, got ${outcome.kind}`);
  return outcome.error;
}

describe('HttpFeedFetcher: how long the server says a response stays fresh', () => {
  it('reads Cache-Control max-age', async () => {
    expect(await maxAgeOf('/max-age')).toBe(3600);
  });

  it('falls back to s-maxage, and prefers max-age when both are given', async () => {
    expect(await maxAgeOf('/s-maxage')).toBe(600);
    expect(await maxAgeOf('/both')).toBe(120);
  });

  it('subtracts the Age a cache in between already spent', async () => {
    expect(await maxAgeOf('/aged')).toBe(500);
    expect(await maxAgeOf('/stale')).toBeUndefined();
  });

  it('reads Expires − Date when there is no max-age, and lets max-age win over Expires', async () => {
    expect(await maxAgeOf('/expires')).toBe(1800);
    expect(await maxAgeOf('/expires-overridden')).toBe(60);
  });

  it('says nothing for an unreadable Expires, no-cache or no-store', async () => {
    expect(await maxAgeOf('/expired')).toBeUndefined();
    expect(await maxAgeOf('/no-cache')).toBeUndefined();
    expect(await maxAgeOf('/no-store')).toBeUndefined();
  });

  it('keeps an absurd max-age a finite number', async () => {
    expect(await maxAgeOf('/huge')).toBe(2 ** 31);
  });

  it('says nothing when the server says nothing', async () => {
    const outcome = await fetchPath('/plain');
    expect(outcome.kind).toBe('ok');
    expect(outcome).not.toHaveProperty('hints');
  });

  it('reads max-age on a 304 too', async () => {
    const outcome = await fetchPath('/conditional', '"v1"');
    expect(outcome).toMatchObject({ kind: 'not-modified', hints: { maxAgeSeconds: 900 } });
  });
});

describe('HttpFeedFetcher: Retry-After on 429 and 503', () => {
  it('carries a 429’s Retry-After delay on the error', async () => {
    const error = await errorOf('/busy');
    expect(error).toMatchObject({ kind: 'http-status', status: 429, retryAfterSeconds: 120 });
  });

  it('turns a 503’s Retry-After date into seconds after the response’s Date', async () => {
    expect((await errorOf('/down')).retryAfterSeconds).toBe(3600);
  });

  it('ignores a Retry-After date already past, a missing one, and one on other statuses', async () => {
    expect((await errorOf('/down-past')).retryAfterSeconds).toBeUndefined();
    expect((await errorOf('/busy-no-header')).retryAfterSeconds).toBeUndefined();
    expect(await errorOf('/broken')).toMatchObject({ status: 500, retryAfterSeconds: undefined });
  });
});
