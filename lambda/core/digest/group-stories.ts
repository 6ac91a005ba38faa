import type { MatchField } from '../model.ts';
import { ALERT_TOPIC_PREFIX } from '../domain/alert.ts';
import type { Hit } from '../domain/hit.ts';

/** A config topic (its id) or one of the subscriber's personal alerts (`alert:<id>`), and its name. */
export interface TopicRef {
  id: string;
  name: string;
}

/** A story as the digest shows it: listed once, under its first topic. */
export interface StoryView {
  hit: Hit;
  /** Names of the subscriber's other topics that also matched the story. */
  otherTopics: string[];
  /** Other feeds that carried the same story (the hit's own source excluded). */
  alsoIn: string[];
  reasons: ReasonView[];
}

interface ReasonView {
  /** Whether `topic` names a config topic or a personal alert. */
  kind: 'topic' | 'alert';
  topic: string;
  terms: string[];
  fields: string[];
  feedUrl: string;
}

export interface TopicGroup {
  topic: TopicRef;
  stories: StoryView[];
}

const FIELD_LABELS: Record<MatchField, string> = { title: 'title', text: 'summary', categories: 'categories' };

/** What a digest calls a story whose every alert was deleted since (never the alert's raw id). */
const DELETED_ALERT = 'Deleted alert';

/**
 * Groups hits by topic or alert in the order of `topics`, newest story first. A story in several is
 * listed under the first of them (in `topics` order) and names the others; it counts once. Hits for a
 * topic no longer configured are grouped under its id rather than lost. An alert the subscriber has
 * deleted since is left out of a story that matched something else too; alone, it shows as
 * "Deleted alert" (the sender withdraws such stories, so this is a fallback).
 */
export function groupStories(
  hits: readonly Hit[],
  topics: readonly TopicRef[],
  alsoCarriedBy: Record<string, string[]> = {},
): TopicGroup[] {
  const order = new Map(topics.map((t, i) => [t.id, i]));
  const known = new Map(topics.map((t) => [t.id, t.name]));
  const isGoneAlert = (id: string) => id.startsWith(ALERT_TOPIC_PREFIX) && !known.has(id);
  const nameOf = (id: string) => known.get(id) ?? (isGoneAlert(id) ? DELETED_ALERT : id);
  const rank = (id: string) => order.get(id) ?? Number.MAX_SAFE_INTEGER;

  // One entry per story even if the store handed us duplicates: merge their topics and reasons.
  const byStory = new Map<string, Hit>();
  for (const hit of hits) {
    const seen = byStory.get(hit.storyKey);
    if (!seen) {
      byStory.set(hit.storyKey, hit);
      continue;
    }
    byStory.set(hit.storyKey, {
      ...seen,
      topicIds: [...new Set([...seen.topicIds, ...hit.topicIds])],
      reasons: [...seen.reasons, ...hit.reasons],
    });
  }

  const groups = new Map<string, TopicGroup>();
  for (const hit of byStory.values()) {
    const all = [...new Set(hit.topicIds.length ? hit.topicIds : hit.reasons.map((r) => r.topicId))];
    const live = all.filter((id) => !isGoneAlert(id));
    const topicIds = live.length > 0 ? live : all.slice(0, 1);
    const reasons = live.length > 0 ? hit.reasons.filter((r) => !isGoneAlert(r.topicId)) : hit.reasons;
    topicIds.sort((a, b) => rank(a) - rank(b));
    const primary = topicIds[0] ?? 'other';
    let group = groups.get(primary);
    if (!group) {
      group = { topic: { id: primary, name: nameOf(primary) }, stories: [] };
      groups.set(primary, group);
    }
    const sources = alsoCarriedBy[hit.storyKey] ?? [];
    group.stories.push({
      hit,
      otherTopics: topicIds.slice(1).map(nameOf),
      alsoIn: [...new Set(sources)].filter((s) => s !== hit.source),
      reasons: reasons.map((r) => ({
        kind: r.topicId.startsWith(ALERT_TOPIC_PREFIX) ? 'alert' : 'topic',
        topic: nameOf(r.topicId),
        terms: [...new Set(r.terms)],
        fields: [...new Set(r.fields)].map((f) => FIELD_LABELS[f] ?? f),
        feedUrl: r.feedUrl,
      })),
    });
  }

  const sorted = [...groups.values()].sort((a, b) => rank(a.topic.id) - rank(b.topic.id));
  for (const group of sorted) group.stories.sort((a, b) => storyTime(b.hit) - storyTime(a.hit));
  return sorted;
}

/** Publication time, else when we first saw it; newest first. */
function storyTime(hit: Hit): number {
  const published = hit.publishedAt ? Date.parse(hit.publishedAt) : Number.NaN;
  if (!Number.isNaN(published)) return published;
  const created = Date.parse(hit.createdAt);
  return Number.isNaN(created) ? 0 : created;
}
