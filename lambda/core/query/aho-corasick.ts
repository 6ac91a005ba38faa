/**
 * Aho–Corasick automaton over UTF-16 code units: finds every occurrence of every pattern in one left
 * to right pass. Used for CJK terms, which match as substrings (CJK text has no spaces).
 */
export class AhoCorasick {
  private readonly next: Array<Map<number, number>> = [new Map()];
  private readonly fail: number[] = [0];
  /** Per state: the patterns ending here, own and inherited through fail links. */
  private readonly out: number[][] = [[]];

  constructor(patterns: readonly string[]) {
    patterns.forEach((pattern, id) => {
      let state = 0;
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern.charCodeAt(i);
        let to = this.next[state]?.get(c);
        if (to === undefined) {
          to = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.out.push([]);
          this.next[state]?.set(c, to);
        }
        state = to;
      }
      this.out[state]?.push(id);
    });
    this.linkFailures();
  }

  private linkFailures(): void {
    const queue: number[] = [...(this.next[0]?.values() ?? [])];
    for (let head = 0; head < queue.length; head++) {
      const r = queue[head] as number;
      for (const [c, s] of this.next[r] ?? []) {
        queue.push(s);
        let f = this.fail[r] as number;
        while (f !== 0 && !this.next[f]?.has(c)) f = this.fail[f] as number;
        const target = this.next[f]?.get(c);
        const failTo = target !== undefined && target !== s ? target : 0;
        this.fail[s] = failTo;
        const inherited = this.out[failTo] ?? [];
        if (inherited.length > 0) this.out[s] = [...(this.out[s] ?? []), ...inherited];
      }
    }
  }

  /** Calls `onHit(pattern, end)` for every occurrence in text[from, to); `end` is exclusive. */
  scan(text: string, from: number, to: number, onHit: (pattern: number, end: number) => void): void {
    const next = this.next;
    const fail = this.fail;
    let state = 0;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      let target = (next[state] as Map<number, number>).get(c);
      while (target === undefined && state !== 0) {
        state = fail[state] as number;
        target = (next[state] as Map<number, number>).get(c);
      }
      state = target ?? 0;
      const hits = this.out[state] as number[];
      for (let h = 0; h < hits.length; h++) onHit(hits[h] as number, i + 1);
    }
  }
}
