// The two baselines bench/match.ts measures our matcher against. Both use the same term semantics
// (lambda/core/query/term-regex.ts), so all three must report the same (item, topic) pairs.
import type { MatchDocument } from '../lambda/core/model.ts';
import { LATIN_CHAR_RE } from '../lambda/core/query/char-class.ts';
import { parseQuery } from '../lambda/core/query/parse-query.ts';
import type { QueryNode, QueryTerm } from '../lambda/core/query/query-node.ts';
import { termRegExp, termRegExpSource } from '../lambda/core/query/term-regex.ts';
import { toExpression, type Expression } from '../lambda/core/query/topic-expression.ts';

type Topics = ReadonlyArray<{ id: string; query: string }>;
export type Matcher = (doc: MatchDocument) => string[];

type RegexTree = { op: 'term'; re: RegExp } | { op: 'and' | 'or'; children: RegexTree[] } | { op: 'not'; child: RegexTree };

/** Baseline A: each topic its own evaluator over its own RegExps, run topic by topic on every item. */
export function perTopicRegExp(topics: Topics): Matcher {
  const build = (node: QueryNode): RegexTree => {
    switch (node.type) {
      case 'term':
        return { op: 'term', re: termRegExp(node.term) };
      case 'not':
        return { op: 'not', child: build(node.child) };
      default:
        return { op: node.type, children: node.children.map(build) };
    }
  };
  const compiled = topics.map((t) => ({ id: t.id, tree: build(parseQuery(t.query)) }));
  const test = (tree: RegexTree, doc: MatchDocument): boolean => {
    switch (tree.op) {
      case 'term':
        return tree.re.test(doc.title) || tree.re.test(doc.text) || doc.categories.some((c) => tree.re.test(c));
      case 'not':
        return !test(tree.child, doc);
      case 'and':
        return tree.children.every((c) => test(c, doc));
      case 'or':
        return tree.children.some((c) => test(c, doc));
    }
  };
  return (doc) => compiled.filter((t) => test(t.tree, doc)).map((t) => t.id);
}

/**
 * Baseline B: every distinct term in one alternation, each in its own capturing group inside a
 * look-ahead (so overlapping occurrences are all seen), found with exec from every position; then
 * the boolean evaluation of the topics that had a positive hit. JS has no inline case modifiers on
 * Node 20, so case-insensitive and case-sensitive terms make separate RegExps. An alternation reports
 * one alternative per position, so when term k is found at p, the few terms that could also start
 * at p (same first word, or a prefix of it) are tested there with their own sticky RegExp.
 */
export function combinedRegExp(topics: Topics): Matcher & { groups: number; regexps: number } {
  const terms: QueryTerm[] = [];
  const ids = new Map<string, number>();
  const topicsByTerm: number[][] = [];
  const expressions: Expression[] = topics.map((t, topicIndex) => {
    const intern = (term: QueryTerm): number => {
      const key = `${term.caseSensitive}|${JSON.stringify(term.parts)}`;
      let id = ids.get(key);
      if (id === undefined) {
        id = terms.push(term) - 1;
        ids.set(key, id);
        topicsByTerm.push([]);
      }
      return id;
    };
    return toExpression(parseQuery(t.query), intern, (id) => {
      const list = topicsByTerm[id] as number[];
      if (list[list.length - 1] !== topicIndex) list.push(topicIndex);
    });
  });
  const scanners = [false, true]
    .map((caseSensitive) => terms.flatMap((term, id) => (term.caseSensitive === caseSensitive ? [id] : [])))
    .flatMap((group) => chunks(group, CHUNK))
    .map((group) => alternation(terms, group));
  const sticky = terms.map((term) => termRegExp(term, 'y'));
  const coStarters = coStartingTerms(terms);

  const hit = new Set<number>();
  const scanField = (text: string): void => {
    for (const { re, termOfGroup } of scanners) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        let g = 1;
        while (m[g] === undefined) g++;
        const k = termOfGroup[g] as number;
        hit.add(k);
        for (const j of coStarters[k] as number[]) {
          if (hit.has(j)) continue;
          const s = sticky[j] as RegExp;
          s.lastIndex = m.index;
          if (s.test(text)) hit.add(j);
        }
        re.lastIndex = m.index + 1;
      }
    }
  };
  const evaluate = (e: Expression): boolean => {
    switch (e.op) {
      case 'term':
        return hit.has(e.termId);
      case 'not':
        return !evaluate(e.child);
      case 'and':
        return e.children.every(evaluate);
      case 'or':
        return e.children.some(evaluate);
    }
  };
  const matcher = (doc: MatchDocument): string[] => {
    hit.clear();
    scanField(doc.title);
    scanField(doc.text);
    for (const c of doc.categories) scanField(c);
    const candidates = new Set<number>();
    for (const k of hit) for (const t of topicsByTerm[k] as number[]) candidates.add(t);
    return [...candidates].sort((a, b) => a - b).filter((t) => evaluate(expressions[t] as Expression)).map((t) => topics[t]?.id as string);
  };
  return Object.assign(matcher, { groups: terms.length, regexps: scanners.length });
}

/**
 * V8 runs out of memory compiling one look-around alternation of ~10,000 terms to machine code, so
 * the alternation is cut into RegExps of at most this many alternatives.
 */
const CHUNK = 1000;

function chunks(list: number[], size: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function alternation(terms: QueryTerm[], group: number[]): { re: RegExp; termOfGroup: number[] } {
  const latin = group.filter((id) => terms[id]?.parts[0]?.script === 'latin');
  const cjk = group.filter((id) => terms[id]?.parts[0]?.script === 'cjk');
  const termOfGroup = [-1, ...latin, ...cjk];
  const alts = (list: number[]) => list.map((id) => `(${termRegExpSource(terms[id] as QueryTerm, false)})`).join('|');
  const branches = [latin.length > 0 ? `(?<!${LATIN_CHAR_RE})(?:${alts(latin)})` : '', cjk.length > 0 ? `(?:${alts(cjk)})` : ''];
  const caseSensitive = terms[group[0] as number]?.caseSensitive;
  const re = new RegExp(`(?=${branches.filter(Boolean).join('|')})`, `gu${caseSensitive ? '' : 'i'}`);
  return { re, termOfGroup };
}

/**
 * For each term, the other terms that can occur at the same start: equal first words (case
 * ignored), a prefix term and the words it prefixes, CJK first parts one of which starts the other.
 */
function coStartingTerms(terms: QueryTerm[]): number[][] {
  const keyOf = (t: QueryTerm): string => {
    const first = t.parts[0] as QueryTerm['parts'][number];
    return `${first.script}:${first.text.toLowerCase()}`;
  };
  const byKey = new Map<string, number[]>();
  terms.forEach((t, id) => {
    byKey.set(keyOf(t), [...(byKey.get(keyOf(t)) ?? []), id]);
  });
  const sortedKeys = [...byKey.keys()].sort();
  const startingWith = (key: string): number[] => {
    let lo = 0;
    let hi = sortedKeys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sortedKeys[mid] as string) < key) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = lo; i < sortedKeys.length && (sortedKeys[i] as string).startsWith(key); i++) out.push(...(byKey.get(sortedKeys[i] as string) ?? []));
    return out;
  };
  return terms.map((t, id) => {
    const key = keyOf(t);
    const first = t.parts[0] as QueryTerm['parts'][number];
    const loose = first.script === 'cjk' || (first.prefix && t.parts.length === 1);
    const set = new Set<number>(loose ? startingWith(key) : (byKey.get(key) ?? []));
    // Shorter keys this one starts with: prefix terms, and for CJK any shorter first part.
    const colon = key.indexOf(':');
    for (let len = colon + 2; len < key.length; len++) {
      for (const j of byKey.get(key.slice(0, len)) ?? []) {
        const other = terms[j] as QueryTerm;
        if (first.script === 'cjk' || (other.parts.length === 1 && other.parts[0]?.prefix)) set.add(j);
      }
    }
    set.delete(id);
    return [...set];
  });
}
