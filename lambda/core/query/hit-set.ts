import type { MatchField } from '../model.ts';

export const FIELDS: readonly MatchField[] = ['title', 'text', 'categories'];

/**
 * Term hits of the item being matched, in flat reusable arrays. A generation stamp per term says
 * whether it hit this item, so nothing is cleared between items.
 */
export class HitSet {
  private generation = 0;
  private readonly stamp: Int32Array;
  /** Per term (valid when stamped): its first and last hit; `nextOfTerm` chains its hits in order. */
  private readonly firstOfTerm: Int32Array;
  private readonly lastOfTerm: Int32Array;
  readonly nextOfTerm: number[] = [];
  /** Distinct terms that hit this item, in first-hit order. */
  readonly distinct: number[] = [];
  readonly term: number[] = [];
  readonly field: number[] = [];
  readonly index: number[] = [];
  readonly start: number[] = [];
  readonly end: number[] = [];

  constructor(termCount: number) {
    this.stamp = new Int32Array(termCount);
    this.firstOfTerm = new Int32Array(termCount);
    this.lastOfTerm = new Int32Array(termCount);
  }

  reset(): void {
    this.generation++;
    this.distinct.length = 0;
    this.term.length = 0;
    this.field.length = 0;
    this.index.length = 0;
    this.start.length = 0;
    this.end.length = 0;
    this.nextOfTerm.length = 0;
  }

  add(termId: number, field: number, index: number, start: number, end: number): void {
    const hit = this.term.length;
    if (this.stamp[termId] !== this.generation) {
      this.stamp[termId] = this.generation;
      this.distinct.push(termId);
      this.firstOfTerm[termId] = hit;
    } else {
      this.nextOfTerm[this.lastOfTerm[termId] as number] = hit;
    }
    this.lastOfTerm[termId] = hit;
    this.nextOfTerm.push(-1);
    this.term.push(termId);
    this.field.push(field);
    this.index.push(index);
    this.start.push(start);
    this.end.push(end);
  }

  /** The first hit of a term that hit this item (follow `nextOfTerm` to -1 for the others). */
  firstHit(termId: number): number {
    return this.stamp[termId] === this.generation ? (this.firstOfTerm[termId] as number) : -1;
  }

  has(termId: number): boolean {
    return this.stamp[termId] === this.generation;
  }
}
