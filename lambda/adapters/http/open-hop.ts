import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { type AddressPolicy, checkAddress } from './address-guard.ts';

/** The signature of `dns.lookup` that the hop needs; injectable so tests can play DNS. */
export type DnsLookup = (
  hostname: string,
  options: LookupOptions & { all: true },
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A `lookup` for http.request that checks every address the name resolves to, so the address
 * actually connected is the one that was checked (no second resolution for rebinding to exploit).
 * One non-public address refuses the host: a mix is how rebinding attacks look.
 */
function guardedLookup(policy: AddressPolicy, resolve: DnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      try {
        for (const a of addresses) checkAddress(hostname, a.address, policy);
      } catch (blocked) {
        return callback(blocked as NodeJS.ErrnoException, '', 0);
      }
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      if ((options as { all?: boolean }).all) {
        (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      } else {
        callback(null, first.address, first.family);
      }
    });
  };
}

export interface HopContext {
  headers: OutgoingHttpHeaders;
  policy: AddressPolicy;
  signal: AbortSignal;
  resolve?: DnsLookup;
  /** Called with the request so the caller can destroy it (the body belongs to it). */
  onRequest?: (req: http.ClientRequest) => void;
  /** A form to POST instead of a GET (a WebSub hub request). */
  form?: string;
}

/**
 * One GET (or form POST) to one URL, resolved with the response head. IP-literal hosts are checked here because
 * Node never calls `lookup` for them; names are checked in the lookup hook. A fresh connection per
 * hop (`agent: false`): a pooled socket would skip the check and could carry another policy.
 */
export function openHop(url: URL, ctx: HopContext): Promise<IncomingMessage> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) checkAddress(host, host, ctx.policy);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolvePromise, reject) => {
    const req = client.request(
      url,
      {
        method: ctx.form === undefined ? 'GET' : 'POST',
        headers: ctx.headers,
        agent: false,
        signal: ctx.signal,
        lookup: guardedLookup(ctx.policy, ctx.resolve ?? (dnsLookup as unknown as DnsLookup)),
      },
      resolvePromise,
    );
    ctx.onRequest?.(req);
    req.on('error', reject);
    req.end(ctx.form);
  });
}
