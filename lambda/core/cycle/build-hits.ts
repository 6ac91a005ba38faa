import { makeSnippet, marksFor } from '../digest/snippet.ts';
import type { FeedEntry, MatchField, MatchSpan, TopicMatch } from '../model.ts';
import type { Hit, HitReason } from '../domain/hit.ts';
import type { Subscriber } from '../domain/subscriber.ts';

export interface BuildHitsInput {
  entry: FeedEntry;
  /** Every topic the entry matched (one matcher pass over all topics). */
  matches: readonly TopicMatch[];
  subscribers: readonly Subscriber[];
  feedUrl: string;
  /** Display name of the feed that carried the story first. */
  source: string;
  now: Date;
  expiresAt: number;
}

/** Subscribers who receive mail: pending (unconfirmed), unsubscribed and suppressed ones do not. */
export function isDeliverable(subscriber: Subscriber): boolean {
  return subscriber.status === 'active';
}

/**
 * One pending hit per deliverable subscriber whose topics intersect the matched topics, carrying
 * what the digest shows (title marks, snippet) and why it matched (terms and fields per topic).
 */
export function buildHits(input: BuildHitsInput): Hit[] {
  const { entry, matches, subscribers } = input;
  if (matches.length === 0) return [];
  const byTopic = new Map(matches.map((m) => [m.topicId, m]));
  const hits: Hit[] = [];
  for (const subscriber of subscribers) {
    if (!isDeliverable(subscriber)) continue;
    const mine = subscriber.topics.map((t) => byTopic.get(t)).filter((m): m is TopicMatch => m !== undefined);
    if (mine.length === 0) continue;
    const spans = mine.flatMap((m) => m.spans);
    hits.push({
      subscriberId: subscriber.id,
      storyKey: entry.key,
      topicIds: mine.map((m) => m.topicId),
      title: entry.title,
      ...(entry.url ? { url: entry.url } : {}),
      source: input.source,
      ...(entry.publishedAt ? { publishedAt: entry.publishedAt } : {}),
      snippet: makeSnippet(entry.text, spansIn(spans, 'text')),
      titleMarks: marksFor(entry.title, spansIn(spans, 'title')),
      reasons: mine.map((m) => reasonFor(m, input.feedUrl)),
      createdAt: input.now.toISOString(),
      status: 'pending',
      expiresAt: input.expiresAt,
    });
  }
  return hits;
}

function spansIn(spans: readonly MatchSpan[], field: MatchField): MatchSpan[] {
  return spans.filter((s) => s.field === field);
}

function reasonFor(match: TopicMatch, feedUrl: string): HitReason {
  const terms = [...new Set(match.spans.map((s) => s.term))];
  const order: MatchField[] = ['title', 'text', 'categories'];
  const fields = order.filter((f) => match.spans.some((s) => s.field === f));
  return { topicId: match.topicId, terms, fields, feedUrl };
}
