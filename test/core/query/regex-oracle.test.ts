import { describe, expect, it } from 'vitest';
import { compileTopics } from '../../../lambda/core/query/compile-topics.ts';
import { parseQuery } from '../../../lambda/core/query/parse-query.ts';
import type { QueryNode } from '../../../lambda/core/query/query-node.ts';
import { termRegExp } from '../../../lambda/core/query/term-regex.ts';
import { prng } from '../../../bench/match-corpus.ts';

// Random texts built from tricky pieces (script changes, near-misses, punctuation), checked against
// the straightforward one-RegExp-per-term reading of the same query. Seeded: the same every run.
const PIECES = ['JAXA', 'jaxa', 'JAXAMAX', 'Unit', 'unit', '61419', '614190', 'Tick', 'tick', 'hacking', 'hack',
  'に', 'への', '宇宙', '航空', '宇宙航空', '研究', '部隊', 'サイバー', '攻撃', ' ', ' ', ' ', '-', ', ', '。', '「', '」', '(', ')', "'", '\n',
  '𠮷野家', '😀', 'İ', 'ΟΔΟΣ', 'école'];
const TERMS = ['吉野家', 'JAXA', '=JAXA', '"Unit 61419"', '="Unit 61419"', 'hack*', '=Tick', 'tick', '宇宙', '宇宙航空', '"宇宙 航空"',
  'JAXAに', '"61419部隊"', '"部隊 Unit"', '"JAXA 宇宙"', 'サイバー攻撃', 'unit-61419', '"への JAXA"', 'uni*'];

describe('the matcher agrees with one RegExp per term', () => {
  // Few topics take the literal-prefilter path; many (fillers that never match) take the full scan.
  it.each([0, 200])('on 3,000 random texts and every test term, with %i other topics', (fillers) => {
    // Prepare
    const random = prng(61419);
    const texts = Array.from({ length: 3000 }, () =>
      Array.from({ length: 1 + Math.floor(random() * 12) }, () => PIECES[Math.floor(random() * PIECES.length)]).join(''));
    const others = Array.from({ length: fillers }, (_, i) => ({ id: `filler-${i}`, query: `zz${i}q OR 無${i}` }));
    const matcher = compileTopics([...TERMS.map((query, i) => ({ id: String(i), query })), ...others]);
    const regexes = TERMS.map((q) => termRegExp((parseQuery(q) as Extract<QueryNode, { type: 'term' }>).term));
    // Act
    const disagreements = texts.flatMap((text) => {
      const found = matcher.match({ title: '', text, categories: [] }).map((m) => m.topicId);
      const ours = new Set(found.map(Number));
      return [
        ...TERMS.filter((_, i) => ours.has(i) !== (regexes[i] as RegExp).test(text)).map((t) => `${t} in ${JSON.stringify(text)}`),
        ...found.filter((id) => id.startsWith('filler')).map((id) => `${id} in ${JSON.stringify(text)}`),
      ];
    });
    // Assess
    expect(disagreements).toEqual([]);
  });
});
