import type { ClientRequest, OutgoingHttpHeaders } from 'node:http';
import { FeedError } from '../../core/errors/feed-error.ts';
import { headerWebSubLinks } from '../../core/websub/discovery.ts';
import { parseLinkHeader } from '../../core/websub/link-header.ts';
import type { FeedFetcher, FetchOptions, FetchOutcome, Validators } from '../../core/ports/feed-fetcher.ts';
import { type AddressPolicy, BlockedAddressError } from './address-guard.ts';
import { decodeFeedBody } from './decode-feed-body.ts';
import { type DnsLookup, openHop } from './open-hop.ts';
import { readBody } from './read-body.ts';
import { freshnessSeconds, retryAfterSeconds } from './response-hints.ts';

export const DEFAULT_USER_AGENT = 'Newshound/0.1 (+https://github.com/newshound; feed monitor)';
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Statuses whose Retry-After says when to come back (RFC 9110 §10.2.3); on others it is ignored. */
const RETRY_AFTER_STATUSES = new Set([429, 503]);

export interface HttpFeedFetcherOptions {
  /** @default DEFAULT_USER_AGENT */
  userAgent?: string;
  /**
   * Exact IP addresses let through even when `allowPrivateNetworks` is false. For tests only: it
   * lets a test server on 127.0.0.1 stand in for a public host while every other hop is still
   * checked. @default []
   */
  allowAddresses?: string[];
  /** DNS resolution (`dns.lookup` signature, called with `all: true`). For tests. @default dns.lookup */
  dnsLookup?: DnsLookup;
}

/**
 * The feed fetcher on node:http/https: conditional GET, one deadline for the whole request
 * (connect, every redirect, headers and body), a cap on decoded bytes, at most 5 redirects, an
 * address check on every hop, and charset decoding. Per-feed failures come back as
 * `{ kind: 'error' }`, never as a rejection.
 */
export class HttpFeedFetcher implements FeedFetcher {
  private readonly userAgent: string;
  private readonly allowAddresses: ReadonlySet<string>;
  private readonly dnsLookup: DnsLookup | undefined;

  constructor(options: HttpFeedFetcherOptions = {}) {
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.allowAddresses = new Set(options.allowAddresses ?? []);
    this.dnsLookup = options.dnsLookup;
  }

  async fetch(url: string, validators: Validators, options: FetchOptions): Promise<FetchOutcome> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<FetchOutcome>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve(failure('timeout', `no complete response within ${options.timeoutMs} ms`));
      }, options.timeoutMs);
    });
    const work = this.follow(url, validators, options, controller.signal).catch((err: unknown) =>
      controller.signal.aborted ? failure('timeout', `no complete response within ${options.timeoutMs} ms`) : toFailure(err),
    );
    try {
      return await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  }

  private async follow(
    startUrl: string,
    validators: Validators,
    options: FetchOptions,
    signal: AbortSignal,
  ): Promise<FetchOutcome> {
    const policy: AddressPolicy = {
      allowPrivateNetworks: options.allowPrivateNetworks,
      allowAddresses: this.allowAddresses,
    };
    const headers: OutgoingHttpHeaders = {
      'user-agent': this.userAgent,
      accept: 'application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
      'accept-encoding': 'gzip, deflate, br',
    };
    if (validators.etag) headers['if-none-match'] = validators.etag;
    if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;

    let url = parseHttpUrl(startUrl);
    for (let redirects = 0; ; redirects += 1) {
      let req: ClientRequest | undefined;
      const res = await openHop(url, {
        headers,
        policy,
        signal,
        resolve: this.dnsLookup,
        onRequest: (r) => (req = r),
      });
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECT_STATUSES.has(status) && location) {
        req?.destroy();
        if (redirects >= MAX_REDIRECTS) {
          return failure('too-many-redirects', `more than ${MAX_REDIRECTS} redirects (last to ${location})`);
        }
        url = parseHttpUrl(location, url);
        continue;
      }
      const maxAgeSeconds = freshnessSeconds(res.headers, Date.now());
      const websub = headerWebSubLinks(parseLinkHeader(linkHeaders(res.headers.link), url.href));
      const hints = { ...(maxAgeSeconds === undefined ? {} : { hints: { maxAgeSeconds } }), ...(websub.hubs.length > 0 ? { websub } : {}) };
      if (status === 304) {
        req?.destroy();
        return { kind: 'not-modified', status: 304, finalUrl: url.href, ...hints };
      }
      if (status < 200 || status > 299) {
        req?.destroy();
        const message = `${status} ${res.statusMessage ?? ''}`.trim();
        const retryAfter = RETRY_AFTER_STATUSES.has(status) ? retryAfterSeconds(res.headers, Date.now()) : undefined;
        return { kind: 'error', error: new FeedError('http-status', message, status, retryAfter) };
      }
      const bytes = await readBody(res, options.maxBytes);
      const contentType = header(res.headers['content-type']);
      const outcome: FetchOutcome = {
        kind: 'ok',
        status,
        body: decodeFeedBody(bytes, contentType).text,
        bytes: bytes.length,
        finalUrl: url.href,
        ...hints,
      };
      const etag = header(res.headers.etag);
      const lastModified = header(res.headers['last-modified']);
      if (etag) outcome.etag = etag;
      if (lastModified) outcome.lastModified = lastModified;
      if (contentType) outcome.contentType = contentType;
      return outcome;
    }
  }
}

/** Node joins repeated Link headers with ", ", which is how RFC 8288 lists several links anyway. */
function linkHeaders(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseHttpUrl(raw: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new FeedError('network', `not a valid URL: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FeedError('blocked-address', `only http and https URLs are fetched, not ${url.protocol}`);
  }
  return url;
}

function failure(kind: FeedError['kind'], message: string): FetchOutcome {
  return { kind: 'error', error: new FeedError(kind, message) };
}

function toFailure(err: unknown): FetchOutcome {
  if (err instanceof FeedError) return { kind: 'error', error: err };
  if (err instanceof BlockedAddressError) return failure('blocked-address', err.message);
  const e = err as NodeJS.ErrnoException;
  // Node wraps a lookup-hook error in its own; the cause is ours.
  if (e?.cause instanceof BlockedAddressError) return failure('blocked-address', e.cause.message);
  const message = e?.message ?? String(err);
  // Node's messages usually name the code already ("getaddrinfo ENOTFOUND host"): say it once.
  const code = e?.code && !message.includes(e.code) ? `${e.code}: ` : '';
  return failure('network', `${code}${message}`);
}
