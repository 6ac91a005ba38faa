import { marksFor } from './snippet.ts';

/**
 * Splits `text` at its marks and wraps each marked run with `open`/`close`, passing every piece of
 * text (marked or not) through `escape`. Marks are re-validated here: stored hits may be old.
 */
export function highlight(
  text: string,
  marks: ReadonlyArray<readonly [number, number]>,
  open: string,
  close: string,
  escape: (s: string) => string,
): string {
  const valid = marksFor(
    text,
    marks.filter(([s, e]) => Number.isInteger(s) && Number.isInteger(e)).map(([start, end]) => ({ start, end })),
  );
  let out = '';
  let at = 0;
  for (const [start, end] of valid) {
    out += escape(text.slice(at, start)) + open + escape(text.slice(start, end)) + close;
    at = end;
  }
  return out + escape(text.slice(at));
}
