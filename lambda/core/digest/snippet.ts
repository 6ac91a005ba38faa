import type { Snippet } from '../domain/hit.ts';

export interface Span {
  start: number;
  end: number;
}

const ELLIPSIS = '…';
/** How far before the first match the window may start, so the reader sees some lead-in. */
const MAX_LEAD = 80;
/** Sentence ends, Latin and CJK; a window preferably starts right after one. */
const SENTENCE_END = /[.!?。！？]\s*$/u;

/**
 * Highlight ranges for a whole string (titles): spans sorted, clipped to the text and merged where
 * they overlap or touch, so `<mark>` elements never nest or interleave.
 */
export function marksFor(text: string, spans: readonly Span[]): Array<[number, number]> {
  const clipped = spans
    .map((s) => [Math.max(0, s.start), Math.min(text.length, s.end)] as [number, number])
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Array<[number, number]> = [];
  for (const span of clipped) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([span[0], span[1]]);
  }
  return merged;
}

/**
 * A window of `text` of at most `maxLength` characters (ellipses included) around the first match,
 * cut at a sentence or word boundary, with an ellipsis where text was cut. Marks are relative to the
 * returned text; matches falling outside the window are dropped, one cut by the window is clipped.
 */
export function makeSnippet(text: string, spans: readonly Span[], maxLength = 280): Snippet {
  const marks = marksFor(text, spans);
  if (text.length <= maxLength) return { text, marks };

  const first = marks[0];
  // Room for both ellipses is reserved up front; the first match always fits, even if clipped.
  const budget = Math.max(1, maxLength - 2);
  let start = 0;
  if (first && first[1] > budget) {
    const matchLength = Math.min(first[1] - first[0], budget);
    const lead = Math.min(MAX_LEAD, Math.floor((budget - matchLength) / 3));
    start = chooseStart(text, first[0], lead);
  }
  let end = Math.min(text.length, start + budget);
  if (end < text.length) end = chooseEnd(text, start, end, first ? first[1] : start);

  const prefix = start > 0 ? ELLIPSIS : '';
  const suffix = end < text.length ? ELLIPSIS : '';
  const body = text.slice(start, end);
  const shifted = marks
    .map(([s, e]) => [Math.max(s, start), Math.min(e, end)] as [number, number])
    .filter(([s, e]) => e > s)
    .map(([s, e]) => [s - start + prefix.length, e - start + prefix.length] as [number, number]);
  return { text: prefix + body + suffix, marks: shifted };
}

/** Start of the window: after a sentence end within the lead, else at a word start, else exact. */
function chooseStart(text: string, matchStart: number, lead: number): number {
  const earliest = Math.max(0, matchStart - lead);
  for (let i = earliest; i < matchStart; i++) {
    if (SENTENCE_END.test(text.slice(Math.max(0, i - 2), i))) return skipSpace(text, i, matchStart);
  }
  for (let i = earliest; i < matchStart; i++) {
    if (/\s/u.test(text[i - 1] ?? '') && !/\s/u.test(text[i] ?? '')) return i;
  }
  return safeBoundary(text, earliest);
}

/** End of the window: at the last word break before `end` that keeps the first match whole. */
function chooseEnd(text: string, start: number, end: number, matchEnd: number): number {
  const floor = Math.max(start + 1, Math.min(matchEnd, end));
  // Only look back a little: CJK text has no spaces, and a long backtrack would waste the budget.
  const lookBack = Math.max(floor, end - 40);
  for (let i = end; i > lookBack; i--) {
    if (/\s/u.test(text[i] ?? '') && !/\s/u.test(text[i - 1] ?? '')) return i;
    if (/[。、，,;；]/u.test(text[i - 1] ?? '')) return i;
  }
  return safeBoundary(text, end);
}

function skipSpace(text: string, from: number, limit: number): number {
  let i = from;
  while (i < limit && /\s/u.test(text[i] ?? '')) i++;
  return i;
}

/** Never cut between the two halves of a surrogate pair. */
function safeBoundary(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff ? index - 1 : index;
}
