import { createHash } from 'node:crypto';
import { KEY_MAX_BYTES } from '../feed/entry-limits.ts';
import { normalizeText } from '../text/normalize-text.ts';

/** Query parameters that only track the click, never change the story (docs/behaviour.md, "Dedupe"). */
const TRACKING_KEYS = new Set(['fbclid', 'gclid', 'mc_cid', 'mc_eid']);

function isTrackingKey(key: string): boolean {
  const k = key.toLowerCase();
  return k.startsWith('utm_') || TRACKING_KEYS.has(k);
}

function decodeComponent(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/**
 * The identity of a link (docs/behaviour.md, "Dedupe"): scheme and host lower-cased, default port, fragment and
 * tracking parameters removed, remaining parameters sorted by key then value. Path case is kept,
 * and so is each parameter's original spelling, so two links merge only when they differ in what
 * the rules remove. Returns undefined for anything that is not an absolute http(s) URL.
 */
export function canonicalLink(url: string, base?: string): string | undefined {
  let parsed: URL;
  try {
    parsed = base === undefined ? new URL(url.trim()) : new URL(url.trim(), base);
  } catch {
    return undefined;
  }
  // WHATWG URL already lower-cases scheme and host and drops a default port.
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  parsed.hash = '';

  const pairs = parsed.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((raw) => {
      const eq = raw.indexOf('=');
      const key = decodeComponent(eq === -1 ? raw : raw.slice(0, eq));
      const value = eq === -1 ? '' : decodeComponent(raw.slice(eq + 1));
      return { raw, key, value };
    })
    .filter((p) => !isTrackingKey(p.key));
  // Array.prototype.sort is stable, so equal key/value pairs keep their order.
  pairs.sort((a, b) => compare(a.key, b.key) || compare(a.value, b.value));
  parsed.search = '';
  const query = pairs.map((p) => p.raw).join('&');
  return query === '' ? parsed.href : `${parsed.href}?${query}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * An entry's dedupe key (docs/behaviour.md, "Dedupe"): its canonical link; without one, the feed URL plus the
 * guid; without both, the title plus the date. The prefixes keep the three kinds from ever
 * colliding. A key longer than KEY_MAX_BYTES of UTF-8 is `sha256:` and the hex SHA-256 of it
 * (no unhashed key starts so), which keeps store keys short without hashing them twice.
 */
export function entryKey(
  e: { link?: string; guid?: string; title?: string; date?: string },
  feedUrl: string,
): string {
  const key = fullKey(e, feedUrl);
  if (key.length * 3 <= KEY_MAX_BYTES || Buffer.byteLength(key, 'utf8') <= KEY_MAX_BYTES) return key;
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

function fullKey(e: { link?: string; guid?: string; title?: string; date?: string }, feedUrl: string): string {
  const link = e.link ? canonicalLink(e.link, feedUrl) : undefined;
  if (link !== undefined) return link;
  const guid = e.guid?.trim();
  const feed = canonicalLink(feedUrl) ?? feedUrl;
  if (guid) return `guid:${feed} ${guid}`;
  const title = normalizeText(e.title ?? '').replace(/\s+/g, ' ').trim();
  return `title:${title} ${e.date ?? ''}`.trimEnd();
}
