import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../../lambda/core/query/parse-query.ts';
import { QueryError } from '../../../lambda/core/query/query-error.ts';
import type { QueryNode } from '../../../lambda/core/query/query-node.ts';

/** The tree in a compact notation: and(...), or(...), not(...), terms as written. */
function shape(node: QueryNode): string {
  switch (node.type) {
    case 'term':
      return node.term.source;
    case 'not':
      return `not(${shape(node.child)})`;
    case 'and':
    case 'or':
      return `${node.type}(${node.children.map(shape).join(', ')})`;
  }
}

function errorOf(query: string): QueryError {
  try {
    parseQuery(query);
  } catch (err) {
    if (err instanceof QueryError) return err;
    throw err;
  }
  throw new Error(`expected ${query} not to parse`);
}

describe('parseQuery', () => {
  it.each([
    ['"Unit 61419" OR JAXA OR 宇宙航空研究開発機構 OR =Tick', 'or("Unit 61419", JAXA, 宇宙航空研究開発機構, =Tick)'],
    ['a b OR c', 'or(and(a, b), c)'],
    ['a AND b OR c AND d', 'or(and(a, b), and(c, d))'],
    ['a OR b c', 'or(a, and(b, c))'],
    ['-a b OR c', 'or(and(not(a), b), c)'],
    ['a NOT b OR c', 'or(and(a, not(b)), c)'],
    ['(a OR b) -(c d)', 'and(or(a, b), not(and(c, d)))'],
    ['NOT NOT a', 'not(not(a))'],
    ['="Unit 61419" hack*', 'and(="Unit 61419", hack*)'],
    ['a and b or c', 'and(a, and, b, or, c)'],
    ['（a OR b）', 'or(a, b)'],
  ])('reads %s as %s', (query, expected) => {
    expect(shape(parseQuery(query))).toBe(expected);
  });

  it('normalizes terms: full-width to ASCII, Latin words lower-cased unless =', () => {
    // Act
    const node = parseQuery('ＪＡＸＡ OR =Tick');
    // Assess
    expect(node).toMatchObject({
      type: 'or',
      children: [
        { type: 'term', position: 0, term: { source: 'ＪＡＸＡ', caseSensitive: false, parts: [{ text: 'jaxa', script: 'latin' }] } },
        { type: 'term', position: 8, term: { source: '=Tick', caseSensitive: true, parts: [{ text: 'Tick', script: 'latin' }] } },
      ],
    });
  });

  it('splits a mixed-script word into parts at the script change', () => {
    const node = parseQuery('JAXAに');
    expect(node).toMatchObject({ term: { parts: [{ text: 'jaxa', script: 'latin' }, { text: 'に', script: 'cjk' }] } });
  });

  it.each([
    ['', 0, 'empty query'],
    ['   ', 0, 'empty query'],
    ['"Unit 61419', 0, 'unterminated quote'],
    ['a "b', 2, 'unterminated quote'],
    ['(a OR b', 7, 'expected ")"'],
    ['(a OR b c', 9, 'expected ")"'],
    ['a OR b)', 6, 'unexpected ")"'],
    ['()', 0, 'empty parentheses'],
    ['(', 0, 'expected ")"'],
    ['a OR', 4, 'expected a term after "OR"'],
    ['a AND', 5, 'expected a term after "AND"'],
    ['a OR OR b', 5, 'expected a term after "OR"'],
    ['OR a', 0, 'expected a term before "OR"'],
    ['a NOT', 5, 'expected a term after "NOT"'],
    ['a (NOT) b', 6, 'expected a term after "NOT"'],
    ['a - b', 2, 'expected a term right after "-"'],
    ['a -', 2, 'expected a term right after "-"'],
    ['= a', 0, 'expected a word or "phrase" right after "="'],
    ['ha*ck', 2, '"*" is only allowed at the end of a word'],
    ['a "" b', 2, 'empty phrase'],
    ['"a"b', 3, 'expected a space or operator after the closing quote'],
    ['a ...', 2, 'no letters or digits in ...'],
    ['-foo', 0, 'matches items that contain none of its terms'],
    ['NOT foo', 0, 'matches items that contain none of its terms'],
    ['a OR -b', 0, 'matches items that contain none of its terms'],
    ['-(a b)', 0, 'matches items that contain none of its terms'],
  ])('rejects %j at %i: %s', (query, position, reason) => {
    // Act
    const err = errorOf(query);
    // Assess
    expect(err.name).toBe('QueryError');
    expect(err.position).toBe(position);
    expect(err.reason).toContain(reason);
    expect(err.message).toBe(`at ${position}: ${err.reason}`);
  });

  it('accepts double negation, which needs its term to be present', () => {
    expect(shape(parseQuery('-(-a)'))).toBe('not(not(a))');
  });
});
