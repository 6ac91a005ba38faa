import type { MatchDocument, MatchSpan, TopicMatch } from '../model.ts';
import { FIELDS, HitSet } from './hit-set.ts';
import { parseQuery } from './parse-query.ts';
import { QueryError } from './query-error.ts';
import type { QueryTerm } from './query-node.ts';
import { TermIndex } from './term-index.ts';
import { collectDecisiveTerms, evaluate, toExpression, type Expression } from './topic-expression.ts';

export interface TopicMatcher {
  /** The topics whose query the document satisfies, in configuration order, with their spans. */
  match(doc: MatchDocument): TopicMatch[];
}

interface CompiledTopic {
  id: string;
  expression: Expression;
  /** How this topic wrote each of its terms (the span's `term`). */
  sources: Map<number, string>;
}

/**
 * Compiles every topic into one matcher: all distinct terms go into one TermIndex, so an item is
 * tokenised and looked up once, whatever the number of topics. Only topics with an un-negated term
 * that occurs in the item are then evaluated; parseQuery rejects queries that could be true without
 * one, so no match is missed. Throws QueryError naming the topic when a query does not parse, unless
 * `onInvalid` is given: then that topic is left out and handed to it (which may throw in turn).
 */
export function compileTopics(
  topics: ReadonlyArray<{ id: string; query: string }>,
  onInvalid?: (topicId: string, error: QueryError) => void,
): TopicMatcher {
  const terms: QueryTerm[] = [];
  const termIds = new Map<string, number>();
  const topicsByTerm: number[][] = [];
  const compiled: CompiledTopic[] = [];
  for (const topic of topics) {
    let node: ReturnType<typeof parseQuery>;
    try {
      node = parseQuery(topic.query);
    } catch (err) {
      if (!(err instanceof QueryError)) throw err;
      if (!onInvalid) throw err.forTopic(topic.id);
      onInvalid(topic.id, err);
      continue;
    }
    const topicIndex = compiled.length;
    const sources = new Map<number, string>();
    const intern = (term: QueryTerm): number => {
      const key = termKey(term);
      let id = termIds.get(key);
      if (id === undefined) {
        id = terms.push(term) - 1;
        termIds.set(key, id);
        topicsByTerm.push([]);
      }
      if (!sources.has(id)) sources.set(id, term.source);
      return id;
    };
    const onPositive = (termId: number): void => {
      const list = topicsByTerm[termId] as number[];
      if (list[list.length - 1] !== topicIndex) list.push(topicIndex);
    };
    compiled.push({ id: topic.id, expression: toExpression(node, intern, onPositive), sources });
  }
  return new CompiledMatcher(compiled, new TermIndex(terms), topicsByTerm);
}

function termKey(term: QueryTerm): string {
  const parts = term.parts.map((p) => `${p.script === 'cjk' ? 'c' : 'l'}${p.prefix ? '*' : ''}${p.text}`);
  return `${term.caseSensitive ? '=' : '~'}${parts.join('\u0000')}`;
}

class CompiledMatcher implements TopicMatcher {
  private readonly hits: HitSet;
  private readonly candidateStamp: Int32Array;
  private generation = 0;

  constructor(
    private readonly topics: CompiledTopic[],
    private readonly index: TermIndex,
    private readonly topicsByTerm: number[][],
  ) {
    this.hits = new HitSet(topicsByTerm.length);
    this.candidateStamp = new Int32Array(topics.length);
  }

  match(doc: MatchDocument): TopicMatch[] {
    const hits = this.hits;
    hits.reset();
    this.index.scan(doc.title, 0, -1, hits);
    this.index.scan(doc.text, 1, -1, hits);
    doc.categories.forEach((category, i) => {
      this.index.scan(category, 2, i, hits);
    });
    if (hits.distinct.length === 0) return [];

    const generation = ++this.generation;
    const candidates: number[] = [];
    for (const termId of hits.distinct) {
      for (const topic of this.topicsByTerm[termId] as number[]) {
        if (this.candidateStamp[topic] === generation) continue;
        this.candidateStamp[topic] = generation;
        candidates.push(topic);
      }
    }
    candidates.sort((a, b) => a - b);

    const matches: TopicMatch[] = [];
    for (const t of candidates) {
      const topic = this.topics[t] as CompiledTopic;
      if (evaluate(topic.expression, hits)) matches.push({ topicId: topic.id, spans: this.spans(topic) });
    }
    return matches;
  }

  private spans(topic: CompiledTopic): MatchSpan[] {
    const decisive = new Set<number>();
    collectDecisiveTerms(topic.expression, this.hits, decisive);
    const h = this.hits;
    const hitIds: number[] = [];
    for (const termId of decisive) for (let i = h.firstHit(termId); i >= 0; i = h.nextOfTerm[i] as number) hitIds.push(i);
    const spans: MatchSpan[] = [];
    for (const i of hitIds) {
      const field = h.field[i] as number;
      const span: MatchSpan = {
        field: FIELDS[field] as MatchSpan['field'],
        start: h.start[i] as number,
        end: h.end[i] as number,
        term: topic.sources.get(h.term[i] as number) as string,
      };
      if (field === 2) span.index = h.index[i] as number;
      spans.push(span);
    }
    return spans.sort((a, b) => fieldOrder(a) - fieldOrder(b) || (a.index ?? 0) - (b.index ?? 0) || a.start - b.start || a.end - b.end);
  }
}

function fieldOrder(span: MatchSpan): number {
  return span.field === 'title' ? 0 : span.field === 'text' ? 1 : 2;
}
