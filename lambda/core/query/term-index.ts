import { AhoCorasick } from './aho-corasick.ts';
import { CJK, LATIN } from './char-class.ts';
import { foldCase } from './fold-case.ts';
import type { HitSet } from './hit-set.ts';
import { PrefixTrie } from './prefix-trie.ts';
import type { QueryTerm } from './query-node.ts';
import { TokenBuffer, tokenize } from './tokenize.ts';

interface Anchored {
  /** Terms that are exactly this one word. */
  words: number[];
  /** Multi-part terms whose first part is this word; the rest is checked token by token. */
  phrases: number[];
}

/**
 * Every distinct term of every topic in one structure: hash maps of whole words (folded and
 * case-sensitive), prefix tries, and an Aho–Corasick automaton for CJK parts. `scan` tokenises a
 * field once and looks each token up, so the cost grows with the text, not with the topic count.
 */
export class TermIndex {
  private readonly folded = new Map<string, Anchored>();
  private readonly exact = new Map<string, Anchored>();
  private readonly foldedPrefixes = new PrefixTrie();
  private readonly exactPrefixes = new PrefixTrie();
  private readonly cjkPatterns: Array<Anchored & { length: number }> = [];
  private readonly cjk: AhoCorasick;
  private readonly tokens = new TokenBuffer();

  constructor(private readonly terms: readonly QueryTerm[]) {
    const cjkTexts: string[] = [];
    const cjkIds = new Map<string, number>();
    terms.forEach((term, id) => {
      const [first] = term.parts as [QueryTerm['parts'][number]];
      const single = term.parts.length === 1;
      if (first.script === 'cjk') {
        let p = cjkIds.get(first.text);
        if (p === undefined) {
          p = cjkTexts.push(first.text) - 1;
          cjkIds.set(first.text, p);
          this.cjkPatterns.push({ words: [], phrases: [], length: first.text.length });
        }
        const anchored = this.cjkPatterns[p] as Anchored;
        (single ? anchored.words : anchored.phrases).push(id);
      } else if (single && first.prefix) {
        (term.caseSensitive ? this.exactPrefixes : this.foldedPrefixes).add(first.text, id);
      } else {
        const map = term.caseSensitive ? this.exact : this.folded;
        let anchored = map.get(first.text);
        if (anchored === undefined) map.set(first.text, (anchored = { words: [], phrases: [] }));
        (single ? anchored.words : anchored.phrases).push(id);
      }
    });
    this.cjk = new AhoCorasick(cjkTexts);
  }

  /** Records in `hits` every term occurrence in `text` (one field, already NFKC-normalised). */
  scan(text: string, field: number, index: number, hits: HitSet): void {
    const tokens = this.tokens;
    tokenize(text, tokens);
    const view = new FoldedView(text);
    for (let t = 0; t < tokens.count; t++) {
      const start = tokens.start[t] as number;
      const end = tokens.end[t] as number;
      if (tokens.kind[t] === LATIN) {
        if (this.exact.size > 0) this.anchor(this.exact.get(text.slice(start, end)), t, start, end, view, field, index, hits);
        const folded = view.slice(start, end);
        if (this.folded.size > 0) this.anchor(this.folded.get(folded), t, start, end, view, field, index, hits);
        if (this.foldedPrefixes.size > 0) {
          this.foldedPrefixes.walk(folded, 0, folded.length, (id) => hits.add(id, field, index, start, end));
        }
        if (this.exactPrefixes.size > 0) {
          this.exactPrefixes.walk(text, start, end, (id) => hits.add(id, field, index, start, end));
        }
      } else if (this.cjkPatterns.length > 0) {
        this.cjk.scan(text, start, end, (p, hitEnd) => {
          const anchored = this.cjkPatterns[p] as Anchored & { length: number };
          const hitStart = hitEnd - anchored.length;
          for (const id of anchored.words) hits.add(id, field, index, hitStart, hitEnd);
          // A CJK first part followed by more parts must end where its CJK run ends.
          if (anchored.phrases.length > 0 && hitEnd === end) {
            for (const id of anchored.phrases) this.phrase(id, t, hitStart, view, field, index, hits);
          }
        });
      }
    }
  }

  private anchor(anchored: Anchored | undefined, t: number, start: number, end: number, view: FoldedView, field: number, index: number, hits: HitSet): void {
    if (anchored === undefined) return;
    for (const id of anchored.words) hits.add(id, field, index, start, end);
    for (const id of anchored.phrases) this.phrase(id, t, start, view, field, index, hits);
  }

  /** Checks parts 2..n of term `id` against the tokens after token `t`; records the whole span. */
  private phrase(id: number, t: number, start: number, view: FoldedView, field: number, index: number, hits: HitSet): void {
    const term = this.terms[id] as QueryTerm;
    const tokens = this.tokens;
    const parts = term.parts;
    let end = 0;
    for (let k = 1; k < parts.length; k++) {
      const j = t + k;
      if (j >= tokens.count) return;
      const part = parts[k] as QueryTerm['parts'][number];
      const s = tokens.start[j] as number;
      const e = tokens.end[j] as number;
      const last = k === parts.length - 1;
      if (part.script === 'cjk') {
        if (tokens.kind[j] !== CJK || !view.text.startsWith(part.text, s)) return;
        if (!last && e - s !== part.text.length) return;
        end = last ? s + part.text.length : e;
      } else {
        if (tokens.kind[j] !== LATIN) return;
        const word = term.caseSensitive ? view.text.slice(s, e) : view.slice(s, e);
        if (part.prefix ? !word.startsWith(part.text) : word !== part.text) return;
        end = e;
      }
    }
    hits.add(id, field, index, start, end);
  }
}

/** Case-folded slices of one field, folding the whole string once when offsets are preserved. */
class FoldedView {
  private readonly lower: string | undefined;

  constructor(readonly text: string) {
    const lower = foldCase(text);
    // Folding can lengthen a string (İ → i̇); offsets then no longer line up, so fold per token.
    this.lower = lower.length === text.length ? lower : undefined;
  }

  slice(start: number, end: number): string {
    return this.lower === undefined ? foldCase(this.text.slice(start, end)) : this.lower.slice(start, end);
  }
}
