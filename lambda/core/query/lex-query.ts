import { normalizeText } from '../text/normalize-text.ts';
import { QueryError } from './query-error.ts';

export type QueryToken =
  | { type: 'lparen' | 'rparen' | 'and' | 'or'; position: number; source: string }
  | { type: 'not'; position: number; source: string }
  | {
      type: 'term';
      position: number;
      /** As written, e.g. `="Unit 61419"` or `hack*`. */
      source: string;
      body: string;
      caseSensitive: boolean;
      prefix: boolean;
    };

// Full-width forms a Japanese keyboard produces are read like their ASCII twins.
const ALIASES: Record<string, string> = { '（': '(', '）': ')', '＂': '"', '－': '-', '＝': '=', '＊': '*' };
const OPERATORS: Record<string, 'and' | 'or' | 'not'> = { AND: 'and', OR: 'or', NOT: 'not' };

const charAt = (query: string, i: number): string => {
  const c = query.charAt(i);
  return ALIASES[c] ?? c;
};
const isSpace = (c: string): boolean => /\s/u.test(c);
/** Characters that end a bare word. */
const isDelimiter = (c: string): boolean => c === '' || isSpace(c) || c === '(' || c === ')' || c === '"';

/** Splits a query into tokens; operators are upper-case `AND`, `OR`, `NOT` (lower-case ones are words). */
export function lexQuery(query: string): QueryToken[] {
  const tokens: QueryToken[] = [];
  let i = 0;
  while (i < query.length) {
    const c = charAt(query, i);
    if (isSpace(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ type: c === '(' ? 'lparen' : 'rparen', position: i, source: c });
      i++;
    } else if (c === '-') {
      const next = charAt(query, i + 1);
      if (next === '' || isSpace(next) || next === ')') {
        throw new QueryError(i, 'expected a term right after "-"');
      }
      tokens.push({ type: 'not', position: i, source: '-' });
      i++;
    } else {
      const token = lexTerm(query, i);
      tokens.push(token);
      i = token.position + token.source.length;
    }
  }
  return tokens;
}

/** A word, `=word`, `word*`, `"phrase"` or `="phrase"` starting at `start` (or an operator word). */
function lexTerm(query: string, start: number): QueryToken {
  let i = start;
  const caseSensitive = charAt(query, i) === '=';
  if (caseSensitive) {
    i++;
    const next = charAt(query, i);
    if (next === '' || isSpace(next) || next === '(' || next === ')') {
      throw new QueryError(start, 'expected a word or "phrase" right after "="');
    }
  }
  if (charAt(query, i) === '"') {
    const close = findClosingQuote(query, i + 1);
    if (close < 0) throw new QueryError(i, 'unterminated quote: expected a closing "');
    const after = charAt(query, close + 1);
    if (!isDelimiter(after)) throw new QueryError(close + 1, 'expected a space or operator after the closing quote');
    const body = query.slice(i + 1, close);
    if (body.trim() === '') throw new QueryError(i, 'empty phrase ""');
    return { type: 'term', position: start, source: query.slice(start, close + 1), body, caseSensitive, prefix: false };
  }
  let end = i;
  while (!isDelimiter(charAt(query, end))) end++;
  const source = query.slice(start, end);
  const operator = OPERATORS[normalizeText(source)];
  if (operator !== undefined) return { type: operator, position: start, source };
  let body = query.slice(i, end);
  let prefix = false;
  while (body.endsWith('*') || body.endsWith('＊')) {
    body = body.slice(0, -1);
    prefix = true;
  }
  const star = body.search(/[*＊]/u);
  if (star >= 0) throw new QueryError(i + star, '"*" is only allowed at the end of a word');
  return { type: 'term', position: start, source, body, caseSensitive, prefix };
}

function findClosingQuote(query: string, from: number): number {
  for (let j = from; j < query.length; j++) if (charAt(query, j) === '"') return j;
  return -1;
}
