import { normalizeText } from '../text/normalize-text.ts';
import { CJK } from './char-class.ts';
import { foldCase } from './fold-case.ts';
import { lexQuery, type QueryToken } from './lex-query.ts';
import { QueryError } from './query-error.ts';
import type { QueryNode, QueryTerm } from './query-node.ts';
import { splitWords } from './tokenize.ts';

/**
 * Parses a query (docs/behaviour.md, Query language): words, "phrases", prefix*, =case-sensitive, implicit AND, AND, OR,
 * -x / NOT x, parentheses; precedence NOT > AND > OR. Throws QueryError (position, reason).
 *
 * A query that would be true for an item holding none of its terms (`-foo`, `a OR -b`) is rejected:
 * it would alert on nearly every item, which is never what an analyst means.
 */
export function parseQuery(query: string): QueryNode {
  const tokens = lexQuery(query);
  if (tokens.length === 0) throw new QueryError(0, 'empty query');
  const parser = new Parser(tokens, query.length);
  const node = parser.parseOr();
  const rest = parser.peek();
  if (rest !== undefined) throw new QueryError(rest.position, `unexpected "${rest.source}"`);
  if (evaluateWithNoHits(node)) {
    throw new QueryError(0, 'the query matches items that contain none of its terms (e.g. "-a" or "a OR -b"); add a term that must be present');
  }
  return node;
}

class Parser {
  private index = 0;

  constructor(
    private readonly tokens: QueryToken[],
    private readonly end: number,
  ) {}

  peek(): QueryToken | undefined {
    return this.tokens[this.index];
  }

  parseOr(): QueryNode {
    const children = [this.parseAnd()];
    for (let t = this.peek(); t?.type === 'or'; t = this.peek()) {
      this.index++;
      this.expectTermAfter(t);
      children.push(this.parseAnd());
    }
    return children.length === 1 ? (children[0] as QueryNode) : { type: 'or', children };
  }

  private parseAnd(): QueryNode {
    const children = [this.parseUnary()];
    for (let t = this.peek(); t !== undefined; t = this.peek()) {
      if (t.type === 'and') {
        this.index++;
        this.expectTermAfter(t);
      } else if (t.type !== 'term' && t.type !== 'not' && t.type !== 'lparen') {
        break;
      }
      children.push(this.parseUnary());
    }
    return children.length === 1 ? (children[0] as QueryNode) : { type: 'and', children };
  }

  private parseUnary(): QueryNode {
    const t = this.peek();
    if (t?.type === 'not') {
      this.index++;
      this.expectTermAfter(t);
      return { type: 'not', child: this.parseUnary() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): QueryNode {
    const t = this.peek();
    if (t === undefined) throw new QueryError(this.end, 'expected a term');
    if (t.type === 'term') {
      this.index++;
      return { type: 'term', term: buildTerm(t), position: t.position };
    }
    if (t.type === 'lparen') {
      this.index++;
      if (this.peek()?.type === 'rparen') throw new QueryError(t.position, 'empty parentheses');
      if (this.peek() === undefined) throw new QueryError(t.position, 'unbalanced "(": expected ")"');
      const inner = this.parseOr();
      const close = this.peek();
      if (close?.type !== 'rparen') {
        throw new QueryError(close?.position ?? this.end, 'expected ")"');
      }
      this.index++;
      return inner;
    }
    if (t.type === 'rparen') throw new QueryError(t.position, 'unexpected ")"');
    throw new QueryError(t.position, `expected a term before "${t.source}"`);
  }

  /** After an operator, the next token must begin a term: name the dangling operator otherwise. */
  private expectTermAfter(operator: QueryToken): void {
    const next = this.peek();
    if (next === undefined || next.type === 'rparen' || next.type === 'and' || next.type === 'or') {
      throw new QueryError(next?.position ?? this.end, `expected a term after "${operator.source}"`);
    }
  }
}

function buildTerm(token: Extract<QueryToken, { type: 'term' }>): QueryTerm {
  const words = splitWords(normalizeText(token.body));
  if (words.length === 0) throw new QueryError(token.position, `no letters or digits in ${token.source}`);
  const parts = words.map((w, i) => {
    const latin = w.kind !== CJK;
    return {
      text: latin && !token.caseSensitive ? foldCase(w.text) : w.text,
      script: latin ? ('latin' as const) : ('cjk' as const),
      prefix: token.prefix && latin && i === words.length - 1,
    };
  });
  return { source: token.source, caseSensitive: token.caseSensitive, parts };
}

/** The query's value for an item in which no term occurs. */
function evaluateWithNoHits(node: QueryNode): boolean {
  switch (node.type) {
    case 'term':
      return false;
    case 'not':
      return !evaluateWithNoHits(node.child);
    case 'and':
      return node.children.every(evaluateWithNoHits);
    case 'or':
      return node.children.some(evaluateWithNoHits);
  }
}
