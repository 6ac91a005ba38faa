import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpFeedFetcher } from '../../../lambda/adapters/http/http-feed-fetcher.ts';
import type { DnsLookup } from '../../../lambda/adapters/http/open-hop.ts';
import type { FetchOptions, FetchOutcome } from '../../../lambda/core/ports/feed-fetcher.ts';
import { type FeedServer, feedFixture, startFeedServer } from '../../support/feed-server.ts';

// The test server can only be on loopback, which the guard refuses. To prove that every redirect
// hop is checked, the fetcher is told to treat exactly 127.0.0.1 as allowed (`allowAddresses`, a
// test-only option) and a fake DNS answers for the *.test names; every other address goes
// through the real guard.
const guarded: FetchOptions = { timeoutMs: 5_000, maxBytes: 1_000_000, allowPrivateNetworks: false };
const allowed: FetchOptions = { ...guarded, allowPrivateNetworks: true };

const fakeDns: Record<string, string[]> = {
  'feeds.test': ['127.0.0.1'],
  'metadata.test': ['169.254.169.254'],
  'intranet.test': ['10.20.30.40'],
  'rebind.test': ['93.184.216.34', '10.0.0.1'],
};
const dnsLookup: DnsLookup = (hostname, _options, callback) => {
  const addresses = fakeDns[hostname];
  if (!addresses) {
    callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    return;
  }
  setImmediate(() => callback(null, addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }))));
};

let server: FeedServer;

beforeAll(async () => {
  server = await startFeedServer({ '/feed.xml': { body: feedFixture('nhk-cat0.xml') } });
  const port = server.port;
  server.route('/to-ten', { redirect: 'http://10.0.0.1/feed.xml' });
  server.route('/to-metadata', { redirect: 'http://169.254.169.254/latest/meta-data/' });
  server.route('/to-mapped-metadata', { redirect: 'http://[::ffff:169.254.169.254]/latest/meta-data/' });
  server.route('/to-metadata-name', { redirect: `http://metadata.test:${port}/feed.xml` });
  server.route('/to-intranet-name', { redirect: `http://intranet.test:${port}/feed.xml` });
  server.route('/to-rebind', { redirect: `http://rebind.test:${port}/feed.xml` });
  server.route('/to-feeds-name', { redirect: `http://feeds.test:${port}/feed.xml` });
  server.route('/to-file', { redirect: 'file:///etc/passwd' });
});

afterAll(async () => {
  await server.close();
});

function kindOf(outcome: FetchOutcome): string {
  return outcome.kind === 'error' ? outcome.error.kind : outcome.kind;
}

describe('address guard on every hop', () => {
  it('fetches the loopback test server when private networks are allowed', async () => {
    expect(kindOf(await new HttpFeedFetcher().fetch(server.url('/feed.xml'), {}, allowed))).toBe('ok');
  });

  it('refuses the same loopback URL when they are not', async () => {
    const before = server.count('/feed.xml');

    const outcome = await new HttpFeedFetcher().fetch(server.url('/feed.xml'), {}, guarded);

    expect(kindOf(outcome)).toBe('blocked-address');
    expect(server.count('/feed.xml')).toBe(before);
  });

  it('refuses a name that resolves to loopback (checked in the DNS hook, not only for literals)', async () => {
    const outcome = await new HttpFeedFetcher().fetch(`http://localhost:${server.port}/feed.xml`, {}, guarded);

    expect(kindOf(outcome)).toBe('blocked-address');
  });

  describe('with the test server as the one allowed address', () => {
    const fetcher = new HttpFeedFetcher({ allowAddresses: ['127.0.0.1'], dnsLookup });

    it('fetches from the allowed address itself', async () => {
      expect(kindOf(await fetcher.fetch(server.url('/feed.xml'), {}, guarded))).toBe('ok');
    });

    it.each([
      ['/to-ten', 'a private IPv4 literal'],
      ['/to-metadata', 'the cloud metadata address'],
      ['/to-mapped-metadata', 'the metadata address mapped into IPv6'],
      ['/to-metadata-name', 'a name resolving to the metadata address'],
      ['/to-intranet-name', 'a name resolving to a private address'],
      ['/to-rebind', 'a name resolving to a public and a private address'],
    ])('refuses a redirect hop (%s) to %s', async (path) => {
      // Act
      const outcome = await fetcher.fetch(server.url(path), {}, guarded);

      // Assess: the first hop was served, the second refused before connecting.
      expect(kindOf(outcome)).toBe('blocked-address');
      expect(server.requests.findLast((r) => r.path === path)).toBeDefined();
    });

    it('follows a redirect hop to a name that resolves to an allowed address', async () => {
      const outcome = await fetcher.fetch(server.url('/to-feeds-name'), {}, guarded);

      expect(kindOf(outcome)).toBe('ok');
      expect(outcome.kind === 'ok' && outcome.finalUrl).toBe(`http://feeds.test:${server.port}/feed.xml`);
    });

    it('refuses a redirect to a non-http scheme', async () => {
      expect(kindOf(await fetcher.fetch(server.url('/to-file'), {}, guarded))).toBe('blocked-address');
    });
  });

  it('follows a redirect to a private name when private networks are allowed', async () => {
    const fetcher = new HttpFeedFetcher({ dnsLookup });

    expect(kindOf(await fetcher.fetch(server.url('/to-feeds-name'), {}, allowed))).toBe('ok');
    expect(kindOf(await fetcher.fetch(server.url('/to-feeds-name'), {}, guarded))).toBe('blocked-address');
  });
});
