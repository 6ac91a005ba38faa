import type { Frequency } from '../config/schema.ts';
import { mostUrgent } from '../digest/frequency-classes.ts';
import { makeSnippet, marksFor } from '../digest/snippet.ts';
import type { FeedEntry, MatchField, MatchSpan, TopicMatch } from '../model.ts';
import { ALERT_TOPIC_PREFIX, alertTopicId } from '../domain/alert.ts';
import type { Hit, HitReason } from '../domain/hit.ts';
import type { Subscriber } from '../domain/subscriber.ts';

export interface BuildHitsInput {
  entry: FeedEntry;
  /** Every topic and alert the entry matched (one matcher pass over all of them). */
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
 * One pending hit per deliverable subscriber whose config topics or active personal alerts the entry
 * matched, carrying what the digest shows (title marks, snippet), why it matched (terms as the
 * subscriber's own query wrote them, and fields, per topic or alert) and the most urgent frequency of
 * what it matched, which decides the digest slot that carries it.
 */
export function buildHits(input: BuildHitsInput): Hit[] {
  const { entry, matches, subscribers } = input;
  if (matches.length === 0) return [];
  const byTopic = new Map(matches.map((m) => [m.topicId, m]));
  // An alert belongs to one subscriber: look at alerts at all only when some alert matched.
  const anyAlert = matches.some((m) => m.topicId.startsWith(ALERT_TOPIC_PREFIX));
  const hits: Hit[] = [];
  for (const subscriber of subscribers) {
    if (!isDeliverable(subscriber)) continue;
    const mine: TopicMatch[] = [];
    const frequencies: Frequency[] = [];
    for (const topic of subscriber.topics) {
      const m = byTopic.get(topic);
      if (!m) continue;
      mine.push(m);
      frequencies.push(subscriber.frequency);
    }
    if (anyAlert) {
      for (const alert of subscriber.alerts ?? []) {
        const m = alert.paused ? undefined : byTopic.get(alertTopicId(alert.id));
        if (!m) continue;
        mine.push(m);
        frequencies.push(alert.frequency ?? subscriber.frequency);
      }
    }
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
      frequency: mostUrgent(frequencies) ?? subscriber.frequency,
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
