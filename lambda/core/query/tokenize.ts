import { bmpClass, classOfCodePoint, HIGH_SURROGATE, SEPARATOR, type CharClass } from './char-class.ts';

/**
 * Word tokens of one string: maximal runs of word characters of one class (Latin or CJK), with
 * UTF-16 offsets. Kept in growable typed arrays so matching a stream of items allocates nothing
 * per token.
 */
export class TokenBuffer {
  count = 0;
  start = new Int32Array(256);
  end = new Int32Array(256);
  kind = new Uint8Array(256);

  push(start: number, end: number, kind: CharClass): void {
    if (this.count === this.start.length) this.grow();
    this.start[this.count] = start;
    this.end[this.count] = end;
    this.kind[this.count] = kind;
    this.count++;
  }

  private grow(): void {
    const size = this.start.length * 2;
    const start = new Int32Array(size);
    const end = new Int32Array(size);
    const kind = new Uint8Array(size);
    start.set(this.start);
    end.set(this.end);
    kind.set(this.kind);
    this.start = start;
    this.end = end;
    this.kind = kind;
  }
}

/**
 * Fills `out` with the tokens of `text` (replacing what it held), from offset `from`, which must be
 * 0 or follow a separator (see tokenStartBefore).
 */
export function tokenize(text: string, out: TokenBuffer, from = 0): void {
  out.count = 0;
  const n = text.length;
  let runStart = from;
  let runKind: CharClass = SEPARATOR;
  let i = from;
  while (i < n) {
    let cls = bmpClass[text.charCodeAt(i)] as CharClass | typeof HIGH_SURROGATE;
    let width = 1;
    if (cls === HIGH_SURROGATE) {
      const low = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (low >= 0xdc00 && low <= 0xdfff) {
        cls = classOfCodePoint(((text.charCodeAt(i) - 0xd800) << 10) + (low - 0xdc00) + 0x10000);
        width = 2;
      } else cls = SEPARATOR;
    }
    if (cls !== runKind) {
      if (runKind !== SEPARATOR) out.push(runStart, i, runKind);
      runStart = i;
      runKind = cls;
    }
    i += width;
  }
  if (runKind !== SEPARATOR) out.push(runStart, n, runKind);
}

/** The offset just after the last separator before `pos` (0 if none): a safe place to start tokenizing. */
export function tokenStartBefore(text: string, pos: number): number {
  let from = pos;
  while (from > 0) {
    const c = text.charCodeAt(from - 1);
    // Low surrogates are SEPARATOR in the BMP table; here they belong to the character before them.
    if (bmpClass[c] === SEPARATOR && !(c >= 0xdc00 && c <= 0xdfff)) break;
    from--;
  }
  return from;
}

export interface Word {
  text: string;
  kind: CharClass;
  start: number;
  end: number;
}

/** Tokens as plain objects: for the query side, where convenience beats speed. */
export function splitWords(text: string): Word[] {
  const buf = new TokenBuffer();
  tokenize(text, buf);
  const words: Word[] = [];
  for (let t = 0; t < buf.count; t++) {
    const start = buf.start[t] as number;
    const end = buf.end[t] as number;
    words.push({ text: text.slice(start, end), kind: buf.kind[t] as CharClass, start, end });
  }
  return words;
}
