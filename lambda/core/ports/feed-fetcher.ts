import type { FeedError } from '../errors/feed-error.ts';
import type { WebSubLinks } from '../model.ts';

/** HTTP validators kept from the last 200 response, sent back for a conditional GET. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

export interface FetchOptions {
  /** Whole-request deadline (connect, redirects, headers and body). */
  timeoutMs: number;
  /** Cap on decoded body bytes (after gzip/deflate/brotli). */
  maxBytes: number;
  /** When false, loopback/private/link-local/other non-public addresses are refused on every hop. */
  allowPrivateNetworks: boolean;
}

/**
 * How long the response says it stays fresh, in seconds: Cache-Control max-age (else s-maxage),
 * else Expires − Date, less its Age; absent under no-cache or no-store. A lower bound on polling
 * (docs/scheduling.md).
 */
type FreshnessHints = { maxAgeSeconds?: number };

/** Hubs and self named by the response's HTTP `Link` headers (docs/feeds.md, "Push (WebSub)"). */
type HeaderWebSub = { websub?: WebSubLinks };

export type FetchOutcome =
  | ({ kind: 'not-modified'; status: 304; finalUrl: string; hints?: FreshnessHints } & HeaderWebSub)
  | ({
      kind: 'ok';
      status: number;
      /** Body decoded to a JS string using the charset from the header, the BOM or the XML declaration. */
      body: string;
      /** Decoded byte count. */
      bytes: number;
      etag?: string;
      lastModified?: string;
      finalUrl: string;
      contentType?: string;
      hints?: FreshnessHints;
    } & HeaderWebSub)
  | { kind: 'error'; error: FeedError };

export interface FeedFetcher {
  fetch(url: string, validators: Validators, options: FetchOptions): Promise<FetchOutcome>;
}
