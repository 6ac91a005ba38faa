import { createHash } from 'node:crypto';
import type { FeedEntry } from '../model.ts';
import { entryKey } from '../links/canonical-link.ts';
import { cut } from '../text/html-to-text.ts';
import { normalizeText } from '../text/normalize-text.ts';
import { repairMojibake } from '../text/repair-mojibake.ts';
import { CATEGORIES_MAX, CATEGORY_MAX_CHARS, GUID_MAX_CHARS, LINK_MAX_CHARS, TEXT_MAX_CHARS, TITLE_MAX_CHARS } from './entry-limits.ts';
import { isoDate } from './feed-date.ts';
import type { RawEntry } from './raw-entry.ts';
import { rawLength, renderText, type TextSource } from './text-source.ts';

/** Why an entry was not kept; counted in ParsedFeed.dropped. */
export type DropReason = 'incomplete' | 'no identity' | 'link too long';

/** C0 controls other than tab, LF and CR: never meant as text, and unsafe in a terminal. */
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * Plain text to what we store and match: double-encoded UTF-8 repaired, controls removed, NFKC,
 * one line. Cutting to `max` happens after normalization, which can lengthen text.
 */
function finishText(text: string, max: number): string {
  // NFKC would turn the "…" of a cut text into "...".
  const wasCut = text.endsWith('…');
  const body = wasCut ? text.slice(0, -1) : text;
  const clean = normalizeText(repairMojibake(body).replace(CONTROLS, '')).replace(/\s+/g, ' ').trim();
  return wasCut ? cut(`${clean}…`, max) : cut(clean, max);
}

/** A text source (title, body) as stored text, at most `max` characters. */
export function sourceText(source: TextSource | undefined, max: number): string {
  return source === undefined ? '' : finishText(renderText(source, max), max);
}

/**
 * The fuller of the entry's bodies: full content is preferred to a summary when it says more.
 * Converting HTML is the costly step, so the longest source goes first and a source too short to
 * beat the best text so far is never converted.
 */
function bestText(bodies: readonly TextSource[]): string {
  let best = '';
  const seen = new Set<string>();
  const ordered = [...bodies].sort((a, b) => rawLength(b) - rawLength(a));
  for (const source of ordered) {
    if (rawLength(source) <= best.length) continue;
    // Feeds often repeat one body under two names.
    if (source.format !== 'tree') {
      if (seen.has(source.text)) continue;
      seen.add(source.text);
    }
    const text = sourceText(source, TEXT_MAX_CHARS);
    if (text.length > best.length) best = text;
  }
  return best;
}

/**
 * One raw entry to a FeedEntry, or the reason it is dropped: cut short by a broken document, no
 * identity at all (no link, no guid, no title), or a link too long to be a real one. Everything
 * kept is bounded (entry-limits.ts); unreadable parts (a date, a body) are left out and never
 * cost the entry.
 */
export function normalizeEntry(raw: RawEntry, feedUrl: string): FeedEntry | DropReason {
  if (!raw.complete) return 'incomplete';
  const title = sourceText(raw.title, TITLE_MAX_CHARS);
  const url = raw.link;
  if (url !== undefined && url.length > LINK_MAX_CHARS) return 'link too long';
  const guid = boundedGuid(raw.guid);
  if (url === undefined && guid === undefined && title === '') return 'no identity';

  const publishedAt = isoDate(raw.dates);
  const categories = new Set<string>();
  for (const label of raw.categories) {
    if (categories.size >= CATEGORIES_MAX) break;
    const text = finishText(label, CATEGORY_MAX_CHARS);
    if (text !== '') categories.add(text);
  }
  const entry: FeedEntry = {
    key: entryKey({ link: url, guid, title, date: publishedAt }, feedUrl),
    title,
    text: bestText(raw.bodies),
    categories: [...categories],
  };
  if (url !== undefined) entry.url = url;
  if (publishedAt !== undefined) entry.publishedAt = publishedAt;
  if (guid !== undefined) entry.guid = guid;
  return entry;
}

function boundedGuid(guid: string | undefined): string | undefined {
  const trimmed = guid?.trim();
  if (!trimmed) return undefined;
  if (trimmed.length <= GUID_MAX_CHARS) return trimmed;
  return `sha256:${createHash('sha256').update(trimmed, 'utf8').digest('hex')}`;
}
