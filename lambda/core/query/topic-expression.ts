import type { HitSet } from './hit-set.ts';
import type { QueryNode, QueryTerm } from './query-node.ts';

/** A topic's query with its terms replaced by ids into the shared term table. */
export type Expression =
  | { op: 'term'; termId: number }
  | { op: 'and' | 'or'; children: Expression[] }
  | { op: 'not'; child: Expression };

/**
 * Interns the query's terms (`intern` returns the shared id of an equal term) and reports every
 * term that occurs un-negated through `onPositive`: only those can make the query true.
 */
export function toExpression(
  node: QueryNode,
  intern: (term: QueryTerm) => number,
  onPositive: (termId: number, term: QueryTerm) => void,
  negated = false,
): Expression {
  switch (node.type) {
    case 'term': {
      const termId = intern(node.term);
      if (!negated) onPositive(termId, node.term);
      return { op: 'term', termId };
    }
    case 'not':
      return { op: 'not', child: toExpression(node.child, intern, onPositive, !negated) };
    case 'and':
    case 'or':
      return { op: node.type, children: node.children.map((c) => toExpression(c, intern, onPositive, negated)) };
  }
}

export function evaluate(expr: Expression, hits: HitSet): boolean {
  switch (expr.op) {
    case 'term':
      return hits.has(expr.termId);
    case 'not':
      return !evaluate(expr.child, hits);
    case 'and':
      for (const c of expr.children) if (!evaluate(c, hits)) return false;
      return true;
    case 'or':
      for (const c of expr.children) if (evaluate(c, hits)) return true;
      return false;
  }
}

/** Adds to `out` the terms that made a true expression true: never negated ones, nor false branches. */
export function collectDecisiveTerms(expr: Expression, hits: HitSet, out: Set<number>): void {
  switch (expr.op) {
    case 'term':
      out.add(expr.termId);
      return;
    case 'not':
      return;
    case 'and':
    case 'or':
      for (const c of expr.children) if (evaluate(c, hits)) collectDecisiveTerms(c, hits, out);
  }
}
