import type { ClientRequest } from 'node:http';
import type { HubAnswer, HubClient, HubRequestOptions } from '../../core/ports/hub-client.ts';
import { BlockedAddressError } from './address-guard.ts';
import { DEFAULT_USER_AGENT } from './http-feed-fetcher.ts';
import { openHop } from './open-hop.ts';
import { readBody } from './read-body.ts';

/** Of a hub's answer only the start is read: it is for the reason shown in `newshound feeds`. */
const MAX_ANSWER_BYTES = 4_096;

/**
 * Hub requests on node:http/https with the feed fetcher's address guard (docs/feeds.md, "Push
 * (WebSub)"): every address the hub resolves to is checked, so a feed cannot point us at the
 * metadata service or the VPC by naming it as its hub. One deadline for the whole request.
 */
export class HttpHubClient implements HubClient {
  private readonly allowAddresses: ReadonlySet<string>;

  /** `allowAddresses`: exact IPs let through although private (tests' 127.0.0.1 hubs), as in HttpFeedFetcher. */
  constructor(options: { allowAddresses?: string[] } = {}) {
    this.allowAddresses = new Set(options.allowAddresses ?? []);
  }

  async post(hubUrl: string, form: URLSearchParams, options: HubRequestOptions): Promise<HubAnswer> {
    let url: URL;
    try {
      url = new URL(hubUrl);
    } catch {
      return { error: `not a valid URL: ${hubUrl}` };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: `only http and https hubs are asked, not ${url.protocol}` };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    let req: ClientRequest | undefined;
    const body = form.toString();
    try {
      const res = await openHop(url, {
        headers: { 'user-agent': DEFAULT_USER_AGENT, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) },
        policy: { allowPrivateNetworks: options.allowPrivateNetworks, allowAddresses: this.allowAddresses },
        signal: controller.signal,
        onRequest: (r) => (req = r),
        form: body,
      });
      // A longer (or broken) answer still has its status: only the reason text is lost.
      const text = await readBody(res, MAX_ANSWER_BYTES).then(
        (bytes) => bytes.toString('utf8'),
        () => '',
      );
      return { status: res.statusCode ?? 0, body: text };
    } catch (err) {
      if (controller.signal.aborted) return { error: `no answer within ${options.timeoutMs} ms` };
      const e = err as NodeJS.ErrnoException;
      if (err instanceof BlockedAddressError) return { error: err.message };
      if (e?.cause instanceof BlockedAddressError) return { error: e.cause.message };
      return { error: e?.message ?? String(err) };
    } finally {
      clearTimeout(timer);
      req?.destroy();
    }
  }
}
