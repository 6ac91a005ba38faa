import { marksFor } from './snippet.ts';

/**
 * Splits `text` at its marks and wraps each marked run with `open`/`close`, passing every piece of
 * text (marked or not) through `escapeText`. Marks are re-validated here: stored hits may be old.
 */
export function highlight(
  text: string,
  marks: ReadonlyArray<readonly [number, number]>,
  open: string,
  close: string,
  escapeText: (s: string) => string,
): string {
  const valid = marksFor(
    text,
    marks.filter(([s, e]) => Number.isInteger(s) && Number.isInteger(e)).map(([start, end]) => ({ start, end })),
  );
  let out = '';
  let at = 0;
  for (const [start, end] of valid) {
    out += escapeText(text.slice(at, start)) + open + escapeText(text.slice(start, end)) + close;
    at = end;
  }
  return out + escapeText(text.slice(at));
}
