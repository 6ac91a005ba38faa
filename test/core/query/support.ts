import { compileTopics } from '../../../lambda/core/query/compile-topics.ts';
import type { MatchSpan, TopicMatch } from '../../../lambda/core/model.ts';
import { normalizeText } from '../../../lambda/core/text/normalize-text.ts';

/** The one topic's match for `text` (normalized, as the pipeline does), or undefined. */
export function matchText(query: string, text: string, categories: string[] = []): TopicMatch | undefined {
  const matcher = compileTopics([{ id: 't', query }]);
  return matcher.match({ title: '', text: normalizeText(text), categories: categories.map(normalizeText) })[0];
}

export function matches(query: string, text: string): boolean {
  return matchText(query, text) !== undefined;
}

/** Each span as the text it covers, e.g. `text:Unit, 61419`. */
export function spanTexts(doc: { title: string; text: string; categories: string[] }, spans: MatchSpan[]): string[] {
  return spans.map((s) => {
    const field = s.field === 'categories' ? (doc.categories[s.index ?? -1] ?? '') : doc[s.field];
    return `${s.field}:${field.slice(s.start, s.end)}`;
  });
}
