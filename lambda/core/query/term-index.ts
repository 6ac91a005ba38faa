import { AhoCorasick } from './aho-corasick.ts';
import { CJK, LATIN } from './char-class.ts';
import { foldCase } from './fold-case.ts';
import { FNV_OFFSET, FNV_PRIME, HashFilter } from './hash-filter.ts';
import type { HitSet } from './hit-set.ts';
import type { QueryTerm, TermPart } from './query-node.ts';
import { TokenBuffer, tokenize, tokenStartBefore } from './tokenize.ts';

interface Anchored {
  /** Terms that are exactly this word (or, for prefixes, this prefix; for CJK, this substring). */
  words: number[];
  /** Multi-part terms whose first part is this; the rest is checked token by token. */
  phrases: number[];
}

/** Words or prefixes of one case mode, behind a hash filter. */
class WordTable {
  readonly map = new Map<string, Anchored>();
  readonly filter = new HashFilter();

  add(key: string, termId: number, phrase: boolean): void {
    let anchored = this.map.get(key);
    if (anchored === undefined) {
      anchored = { words: [], phrases: [] };
      this.map.set(key, anchored);
      this.filter.add(key);
    }
    (phrase ? anchored.phrases : anchored.words).push(termId);
  }
}

/**
 * Every distinct term of every topic in one structure: hash tables of whole words and of prefixes
 * (folded and case-sensitive) and an Aho–Corasick automaton for CJK parts. `scan` tokenises a field
 * once and looks each token up, so the cost grows with the text, not with the number of topics.
 */
export class TermIndex {
  private readonly words = [new WordTable(), new WordTable()]; // [folded, case-sensitive]
  private readonly prefixes = [new WordTable(), new WordTable()];
  private readonly cjkPatterns: Array<Anchored & { length: number }> = [];
  private readonly cjk: AhoCorasick;
  private readonly tokens = new TokenBuffer();
  private readonly anyExact: boolean;
  /**
   * Which (first, second) folded code-unit pairs start some word or prefix key, hashed into 64 Ki
   * slots; a word whose first two letters hit no slot is skipped without hashing or slicing it.
   */
  private readonly starts = new Uint8Array(0x10000);
  /**
   * With few terms, one native scan of the folded field for any term's first part (a literal
   * alternation) rejects most fields before they are tokenised: cheaper than tokenising them.
   */
  private readonly prefilter: RegExp | undefined;

  constructor(private readonly terms: readonly QueryTerm[]) {
    const cjkTexts: string[] = [];
    const cjkIds = new Map<string, number>();
    terms.forEach((term, id) => {
      const first = term.parts[0] as TermPart;
      const phrase = term.parts.length > 1;
      const mode = term.caseSensitive ? 1 : 0;
      if (first.script === 'cjk') {
        let p = cjkIds.get(first.text);
        if (p === undefined) {
          p = cjkTexts.push(first.text) - 1;
          cjkIds.set(first.text, p);
          this.cjkPatterns.push({ words: [], phrases: [], length: first.text.length });
        }
        const anchored = this.cjkPatterns[p] as Anchored;
        (phrase ? anchored.phrases : anchored.words).push(id);
      } else {
        ((first.prefix ? this.prefixes : this.words)[mode] as WordTable).add(first.text, id, phrase);
        this.markStart(foldCase(first.text), first.prefix);
      }
    });
    this.cjk = new AhoCorasick(cjkTexts);
    const anchors = new Set(terms.map((term) => foldCase((term.parts[0] as TermPart).text)));
    if (anchors.size > 0 && anchors.size <= PREFILTER_MAX_ANCHORS) {
      this.prefilter = new RegExp([...anchors].map((a) => a.replace(/[\\^$.*+?()[\]{}|/-]/gu, '\\$&')).join('|'), 'iu');
    }
    this.anyExact = (this.words[1] as WordTable).map.size + (this.prefixes[1] as WordTable).map.size > 0;
  }

  private markStart(key: string, prefix: boolean): void {
    const c0 = key.charCodeAt(0);
    if (key.length > 1) this.starts[pairSlot(c0, key.charCodeAt(1))] = 1;
    else {
      this.starts[pairSlot(c0, -1)] = 1;
      if (prefix) for (let c1 = 0; c1 < 0x10000; c1++) this.starts[pairSlot(c0, c1)] = 1;
    }
  }

  /** Records in `hits` every term occurrence in `text` (one field, already NFKC-normalized). */
  scan(text: string, field: number, index: number, hits: HitSet): void {
    if (this.terms.length === 0) return;
    // The `i` flag's simple case folding finds every toLowerCase match (more, never fewer), except
    // for İ, which lower-cases to two characters: fields holding it skip the prefilter.
    // No term can start before the prefilter's first match, so tokenizing starts at that word.
    let from = 0;
    if (this.prefilter !== undefined && !text.includes('\u0130')) {
      const first = text.search(this.prefilter);
      if (first < 0) return;
      from = tokenStartBefore(text, first);
    }
    const view = new FoldedView(text, from);
    const tokens = this.tokens;
    tokenize(text, tokens, from);
    for (let t = 0; t < tokens.count; t++) {
      const start = tokens.start[t] as number;
      const end = tokens.end[t] as number;
      if (tokens.kind[t] === LATIN) {
        const lower = view.lower;
        if (lower !== undefined) {
          const second = end - start > 1 ? lower.charCodeAt(start + 1) : -1;
          if (this.starts[pairSlot(lower.charCodeAt(start), second)] === 0) continue;
          this.lookUp(0, lower, start, end, t, start, end, view, field, index, hits);
        } else this.lookUp(0, foldCase(text.slice(start, end)), 0, -1, t, start, end, view, field, index, hits);
        if (this.anyExact) this.lookUp(1, text, start, end, t, start, end, view, field, index, hits);
      } else if (this.cjkPatterns.length > 0) {
        this.cjk.scan(text, start, end, (p, hitEnd) => {
          const anchored = this.cjkPatterns[p] as Anchored & { length: number };
          const hitStart = hitEnd - anchored.length;
          for (const id of anchored.words) hits.add(id, field, index, hitStart, hitEnd);
          for (const id of anchored.phrases) this.phrase(id, t, hitStart, hitEnd, view, field, index, hits);
        });
      }
    }
  }

  /**
   * Looks the word s[from, to) up as a whole word and as every prefix, in table `mode`; `to` of -1
   * means the end of s. Hits span token t (tokenStart, tokenEnd) in the field.
   */
  private lookUp(mode: number, s: string, from: number, to: number, t: number, tokenStart: number, tokenEnd: number, view: FoldedView, field: number, index: number, hits: HitSet): void {
    const end = to < 0 ? s.length : to;
    const prefixes = this.prefixes[mode] as WordTable;
    const words = this.words[mode] as WordTable;
    const checkPrefixes = prefixes.map.size > 0;
    let h = FNV_OFFSET;
    for (let i = from; i < end; i++) {
      h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
      if (checkPrefixes && prefixes.filter.has(h)) {
        const anchored = prefixes.map.get(s.slice(from, i + 1));
        if (anchored !== undefined) for (const id of anchored.words) hits.add(id, field, index, tokenStart, tokenEnd);
      }
    }
    if (!words.filter.has(h)) return;
    const anchored = words.map.get(s.slice(from, end));
    if (anchored === undefined) return;
    for (const id of anchored.words) hits.add(id, field, index, tokenStart, tokenEnd);
    for (const id of anchored.phrases) this.phrase(id, t, tokenStart, tokenEnd, view, field, index, hits);
  }

  /**
   * Checks parts 2..n of term `id`, the first part having matched [start, firstEnd) in token `t`;
   * records the whole span. Parts follow each other across a token boundary (any run of
   * separators, or a change of script), except that a CJK part may also follow a CJK part with no
   * separator at all: CJK text has no spaces between words, so `"宇宙 航空"` finds `宇宙航空`.
   */
  private phrase(id: number, t: number, start: number, firstEnd: number, view: FoldedView, field: number, index: number, hits: HitSet): void {
    const term = this.terms[id] as QueryTerm;
    const tokens = this.tokens;
    const parts = term.parts;
    let tok = t;
    let pos = firstEnd;
    for (let k = 1; k < parts.length; k++) {
      const part = parts[k] as TermPart;
      const tokEnd = tokens.end[tok] as number;
      if (part.script === 'cjk' && (parts[k - 1] as TermPart).script === 'cjk' && pos < tokEnd) {
        // Inside the same CJK run: the next part must follow at once.
        if (!view.text.startsWith(part.text, pos)) return;
        pos += part.text.length;
        continue;
      }
      // Otherwise the part before must end its token, and this part starts the next one.
      if (pos !== tokEnd) return;
      tok += 1;
      if (tok >= tokens.count) return;
      const s = tokens.start[tok] as number;
      const e = tokens.end[tok] as number;
      if (part.script === 'cjk') {
        if (tokens.kind[tok] !== CJK || !view.text.startsWith(part.text, s)) return;
        pos = s + part.text.length;
      } else {
        if (tokens.kind[tok] !== LATIN) return;
        const word = term.caseSensitive ? view.text.slice(s, e) : view.slice(s, e);
        if (part.prefix ? !word.startsWith(part.text) : word !== part.text) return;
        pos = e;
      }
    }
    hits.add(id, field, index, start, pos);
  }
}

const PREFILTER_MAX_ANCHORS = 64;

function pairSlot(c0: number, c1: number): number {
  return (Math.imul(c0, 0x9e3779b1) ^ c1) & 0xffff;
}

/** Case-folded slices of one field, folding the whole string once when offsets are preserved. */
class FoldedView {
  /** The folded field, or undefined when folding changed its length (İ → i̇): then fold per token. */
  readonly lower: string | undefined;

  /** Folds only from `from` on (nothing before it is read); offsets stay those of `text`. */
  constructor(readonly text: string, from = 0) {
    const tail = foldCase(from === 0 ? text : text.slice(from));
    const lower = from === 0 ? tail : text.slice(0, from) + tail;
    this.lower = lower.length === text.length ? lower : undefined;
  }

  slice(start: number, end: number): string {
    return this.lower === undefined ? foldCase(this.text.slice(start, end)) : this.lower.slice(start, end);
  }
}
