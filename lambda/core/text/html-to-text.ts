import { Parser } from 'htmlparser2';
import { HTML_MAX_DEPTH, TEXT_MAX_CHARS } from '../feed/entry-limits.ts';
import { BLOCK_ELEMENTS, SKIPPED_ELEMENTS } from './html-elements.ts';

/** Thrown from the parser's callbacks to stop reading: the text so far is the result. */
const STOP = Symbol('stop');

/**
 * Feed HTML (or plain text that may hold entities) to one line of plain text: markup removed,
 * entities decoded as HTML does, scripts and styles dropped, blocks kept apart by a space, every
 * run of whitespace collapsed to one space.
 *
 * Bounded whatever the input (docs/feeds.md, "Limits"): it streams through htmlparser2 without
 * building a tree, stops at the first element nested deeper than HTML_MAX_DEPTH, and stops once
 * it has `maxChars` of text; either cut ends the text with "…".
 */
export function htmlToText(html: string, maxChars = TEXT_MAX_CHARS): string {
  // Plain text without markup or entities is the common case for titles; skip the HTML parser.
  if (!/[<&]/.test(html)) return cut(collapse(html), maxChars);

  const pieces: string[] = [];
  let length = 0;
  let depth = 0;
  let skipping = 0;
  let truncated = false;
  // Whitespace collapses later, so raw text a few times the limit is enough to fill it.
  const rawLimit = maxChars * 4;
  const parser = new Parser({
    onopentag(name) {
      depth += 1;
      if (depth > HTML_MAX_DEPTH) {
        truncated = true;
        throw STOP;
      }
      if (SKIPPED_ELEMENTS.has(name)) skipping += 1;
      else if (BLOCK_ELEMENTS.has(name)) pieces.push(' ');
    },
    onclosetag(name) {
      depth -= 1;
      if (SKIPPED_ELEMENTS.has(name)) skipping -= 1;
      else if (BLOCK_ELEMENTS.has(name)) pieces.push(' ');
    },
    ontext(text) {
      if (skipping > 0) return;
      pieces.push(text);
      length += text.length;
      if (length > rawLimit) {
        truncated = true;
        throw STOP;
      }
    },
  });
  try {
    parser.end(html);
  } catch (err) {
    if (err !== STOP) throw err;
  }
  const text = collapse(pieces.join(''));
  if (!truncated || text === '') return cut(text, maxChars);
  const kept = cut(text, maxChars - 1);
  return kept.length < text.length ? kept : `${kept}…`;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * At most `max` UTF-16 units, never splitting a surrogate pair; a cut text ends with "…" (which
 * counts towards `max`).
 */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end -= 1; // the high half of a pair whose low half would go
  return `${text.slice(0, end).trimEnd()}…`;
}
