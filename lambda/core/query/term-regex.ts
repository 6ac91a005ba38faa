import { CJK_CHAR_RE, LATIN_CHAR_RE, SEPARATOR_RUN_RE } from './char-class.ts';
import type { QueryTerm } from './query-node.ts';

/**
 * The RegExp that finds one term, with the matcher's meaning (docs/behaviour.md, "Query language"). It is the obvious,
 * slow way: kept as a test oracle and for the bench's baselines. The `i` flag folds case by Unicode
 * simple folding, which agrees with the matcher's toLowerCase except for rare special casings
 * (İ, final sigma).
 */
export function termRegExp(term: QueryTerm, extraFlags = ''): RegExp {
  return new RegExp(termRegExpSource(term), `u${term.caseSensitive ? '' : 'i'}${extraFlags}`);
}

/** With `leadingBoundary` false the first Latin part omits its look-behind (a caller hoists it). */
export function termRegExpSource(term: QueryTerm, leadingBoundary = true): string {
  const notLatinBefore = `(?<!${LATIN_CHAR_RE})`;
  const notLatinAfter = `(?!${LATIN_CHAR_RE})`;
  const last = term.parts.length - 1;
  const cjk = (k: number) => term.parts[k]?.script === 'cjk';
  return term.parts
    .map((part, k) => {
      const text = escapeRegExp(part.text);
      const before = k > 0 || leadingBoundary ? notLatinBefore : '';
      if (part.script === 'latin') return `${before}${text}${part.prefix ? '' : notLatinAfter}`;
      // A CJK part is a substring, except that a neighbouring Latin part must sit across a
      // boundary; two CJK parts may also touch (CJK text puts no spaces between words).
      const after = k < last && !cjk(k + 1) ? `(?!${CJK_CHAR_RE})` : '';
      return `${k > 0 && !cjk(k - 1) ? `(?<!${CJK_CHAR_RE})` : ''}${text}${after}`;
    })
    .join(SEPARATOR_RUN_RE);
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/gu, '\\$&');
}
