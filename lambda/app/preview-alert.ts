import type { Snippet } from '../core/domain/hit.ts';
import type { RecentStory } from '../core/domain/recent-story.ts';
import { makeSnippet, marksFor } from '../core/digest/snippet.ts';
import type { MatchSpan } from '../core/model.ts';
import { compileTopics } from '../core/query/compile-topics.ts';
import { foldCase } from '../core/query/fold-case.ts';
import { parseQuery } from '../core/query/parse-query.ts';
import type { QueryNode } from '../core/query/query-node.ts';
import { PREVIEW_DAYS } from './recent-story-cache.ts';

/** One story the query would have matched, as the preview shows it (like a digest entry). */
export interface PreviewStory {
  key: string;
  title: string;
  url?: string;
  source: string;
  publishedAt?: string;
  firstSeenAt: string;
  /** Highlight ranges relative to `title`. */
  titleMarks: Array<[number, number]>;
  snippet: Snippet;
}

export interface AlertPreview {
  /** The newest matches first, at most `limit`. */
  stories: PreviewStory[];
  /** Every story of the window the query matches. */
  matched: number;
  /** Stories of the window looked at. */
  scanned: number;
}

/**
 * The stories of the last PREVIEW_DAYS before `now` that `query` matches, with the digest's title
 * marks and snippet. The query must already have been checked (alert-input.ts): a query that does
 * not parse throws QueryError.
 *
 * Cheap first: parseQuery refuses queries that could match without any of their un-negated terms,
 * so a story holding none of those terms' first words cannot match and is skipped after one native
 * case-insensitive search per field; the rest is verified by the real matcher (compileTopics), so
 * the preview agrees with what the alert will catch.
 */
export function previewAlert(query: string, stories: readonly RecentStory[], now: Date, limit: number): AlertPreview {
  const mayMatch = prefilter(positiveAnchors(parseQuery(query)));
  const matcher = compileTopics([{ id: 'preview', query }]);
  const since = new Date(now.getTime() - PREVIEW_DAYS * 86_400_000).toISOString();
  const until = now.toISOString();
  const found: PreviewStory[] = [];
  let matched = 0;
  let scanned = 0;
  // Newest first, so the first `limit` matches are the ones shown.
  for (let i = stories.length - 1; i >= 0; i--) {
    const story = stories[i] as RecentStory;
    if (story.firstSeenAt > until) continue;
    if (story.firstSeenAt <= since) break;
    scanned++;
    if (!mayMatch(story)) continue;
    const [match] = matcher.match({ title: story.title, text: story.text, categories: story.categories });
    if (!match) continue;
    matched++;
    if (found.length < limit) found.push(toPreview(story, match.spans));
  }
  return { stories: found, matched, scanned };
}

/**
 * False only for a story that holds none of the anchors. The `i` flag's simple case folding finds
 * everything the matcher's lower-casing finds (more, never fewer), except around İ, which
 * lower-cases to two characters: a field holding it always goes on to the matcher (term-index.ts
 * makes the same exception). İ is one more alternative of the same search, so each field is read
 * once.
 */
function prefilter(anchors: readonly string[]): (story: RecentStory) => boolean {
  const escaped = anchors.map((a) => a.replace(/[\\^$.*+?()[\]{}|/-]/gu, '\\$&'));
  const any = new RegExp([...escaped, '\u0130'].join('|'), 'iu');
  const holds = (field: string) => any.test(field);
  return (story) => holds(story.title) || holds(story.text) || story.categories.some(holds);
}

function toPreview(story: RecentStory, spans: readonly MatchSpan[]): PreviewStory {
  const inField = (field: MatchSpan['field']) => spans.filter((s) => s.field === field);
  return {
    key: story.key,
    title: story.title,
    ...(story.url ? { url: story.url } : {}),
    source: story.source,
    ...(story.publishedAt ? { publishedAt: story.publishedAt } : {}),
    firstSeenAt: story.firstSeenAt,
    titleMarks: marksFor(story.title, inField('title')),
    snippet: makeSnippet(story.text, inField('text')),
  };
}

/** The folded first word of every term that is not under an odd number of NOTs. */
function positiveAnchors(node: QueryNode, negated = false, out: string[] = []): string[] {
  switch (node.type) {
    case 'term': {
      const first = node.term.parts[0];
      if (!negated && first) out.push(foldCase(first.text));
      break;
    }
    case 'not':
      positiveAnchors(node.child, !negated, out);
      break;
    case 'and':
    case 'or':
      for (const child of node.children) positiveAnchors(child, negated, out);
      break;
  }
  return out;
}
