import type { IncomingHttpHeaders } from 'node:http';

// What a response says about when to ask again, read for the scheduler (docs/scheduling.md).
// Header rules from RFC 9111 (freshness) and RFC 9110 (Retry-After, HTTP dates).

/**
 * Seconds this response stays fresh: Cache-Control max-age, else s-maxage, else Expires − Date;
 * less the Age a cache in between already spent. Undefined when the response may not be reused
 * (no-cache, no-store), says nothing, or is already stale.
 */
export function freshnessSeconds(headers: IncomingHttpHeaders, nowMs: number): number | undefined {
  const directives = cacheControl(headers['cache-control']);
  if (directives.has('no-store') || directives.has('no-cache')) return undefined;
  const lifetime = deltaSeconds(directives.get('max-age')) ?? deltaSeconds(directives.get('s-maxage')) ?? expiresLifetime(headers, nowMs);
  if (lifetime === undefined) return undefined;
  const remaining = lifetime - (deltaSeconds(headers.age) ?? 0);
  return remaining > 0 ? remaining : undefined;
}

/** Retry-After as seconds from now: a delay, or an HTTP date measured from the response's Date (else now). */
export function retryAfterSeconds(headers: IncomingHttpHeaders, nowMs: number): number | undefined {
  const value = headers['retry-after']?.trim();
  if (!value) return undefined;
  const seconds = deltaSeconds(value) ?? secondsUntil(value, serverNow(headers, nowMs));
  return seconds !== undefined && seconds > 0 ? seconds : undefined;
}

/** Directive names lower-cased → value (quotes removed; '' for a bare directive); the first of a repeated one wins. */
function cacheControl(header: string | undefined): Map<string, string> {
  const directives = new Map<string, string>();
  for (const part of header?.split(',') ?? []) {
    const [name = '', ...rest] = part.split('=');
    const key = name.trim().toLowerCase();
    if (key !== '' && !directives.has(key)) directives.set(key, rest.join('=').trim().replace(/^"(.*)"$/, '$1'));
  }
  return directives;
}

/** Expires − Date; an unreadable Expires (often `0` or `-1`) means already expired. */
function expiresLifetime(headers: IncomingHttpHeaders, nowMs: number): number | undefined {
  return headers.expires === undefined ? undefined : secondsUntil(headers.expires, serverNow(headers, nowMs));
}

/** The server's clock when it answered, so a skewed local clock does not shift its dates. */
function serverNow(headers: IncomingHttpHeaders, nowMs: number): number {
  const date = headers.date === undefined ? Number.NaN : Date.parse(headers.date);
  return Number.isNaN(date) ? nowMs : date;
}

function secondsUntil(httpDate: string, fromMs: number): number | undefined {
  const at = Date.parse(httpDate);
  return Number.isNaN(at) ? undefined : Math.round((at - fromMs) / 1000);
}

/** A delta-seconds value: digits only, at most 2^31 as RFC 9111 §1.2.2 says, so it stays a finite JSON number. */
function deltaSeconds(value: string | undefined): number | undefined {
  const trimmed = value?.trim();
  return trimmed && /^\d+$/.test(trimmed) ? Math.min(Number(trimmed), 2 ** 31) : undefined;
}
