import type { FeedEntry } from '../model.ts';
import { entryKey } from '../links/canonical-link.ts';
import { htmlToText } from '../text/html-to-text.ts';
import { normalizeText } from '../text/normalize-text.ts';
import type { RawItem } from './resilient-parser.ts';

/** Any feed text field (string, `{ _: text }`, or an xhtml subtree) to one line of NFKC text. */
export function cleanText(value: unknown): string {
  const raw = rawText(value);
  if (raw === '') return '';
  return normalizeText(htmlToText(raw)).replace(/\s+/g, ' ').trim();
}

function rawText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(rawText).join(' ');
  if (typeof value === 'object') {
    const node = value as Record<string, unknown>;
    // An xhtml subtree as xml2js gives it: own text in `_`, child elements by name, attributes in
    // `$` (left out). xml2js does not keep the order of text and children; the words all remain.
    return Object.entries(node)
      .filter(([k]) => k !== '$')
      .map(([, v]) => rawText(v))
      .join(' ');
  }
  return '';
}

/** An absolute http(s) URL, or undefined: `javascript:`, `data:` and the like are never kept. */
export function safeHttpUrl(link: unknown, base: string): string | undefined {
  const raw = rawText(link).trim();
  if (raw === '') return undefined;
  try {
    const url = new URL(raw, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function isoDate(...candidates: unknown[]): string | undefined {
  for (const c of candidates) {
    const raw = rawText(c).trim();
    if (raw === '') continue;
    const time = Date.parse(raw);
    if (!Number.isNaN(time)) return new Date(time).toISOString();
  }
  return undefined;
}

/** The fuller of the entry's bodies: full content is preferred to a summary when it says more. */
function bestText(item: RawItem): string {
  let best = '';
  const seen = new Set<unknown>();
  for (const field of ['content:encoded', 'content', 'summary', 'description']) {
    const raw = item[field];
    // Feeds often repeat one body under two names; converting HTML is the costly step.
    if (raw === undefined || seen.has(raw)) continue;
    seen.add(raw);
    const text = cleanText(raw);
    if (text.length > best.length) best = text;
  }
  return best;
}

/**
 * One rss-parser item to a FeedEntry, or undefined when it has nothing to be known by (no link,
 * no guid, no title). Missing or unreadable parts are left out; they never fail the entry.
 */
export function normalizeEntry(item: RawItem, feedUrl: string): FeedEntry | undefined {
  const title = cleanText(item.title);
  const url = safeHttpUrl(item.link ?? item['rdf:about'], feedUrl);
  const guid = rawText(item.guid ?? item.id).trim() || undefined;
  if (url === undefined && guid === undefined && title === '') return undefined;

  const publishedAt = isoDate(item.isoDate, item.pubDate, item.date, item.updated);
  const categories = (Array.isArray(item.categories) ? item.categories : [])
    .map(cleanText)
    .filter((c) => c !== '');
  const entry: FeedEntry = {
    key: entryKey({ link: url, guid, title, date: publishedAt }, feedUrl),
    title,
    text: bestText(item),
    categories: [...new Set(categories)],
  };
  if (url !== undefined) entry.url = url;
  if (publishedAt !== undefined) entry.publishedAt = publishedAt;
  if (guid !== undefined) entry.guid = guid;
  return entry;
}
