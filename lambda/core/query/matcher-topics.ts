import type { Config } from '../config/schema.ts';
import { alertTopicId } from '../domain/alert.ts';
import type { Subscriber } from '../domain/subscriber.ts';

// What the one shared matcher holds (docs/cycle.md, "One matcher"): the config file's topics and
// every active personal alert of the subscribers who receive mail.

interface MatcherTopic {
  id: string;
  query: string;
}

/** An alert kept in a profile that the matcher leaves out, and why (logged, never fatal). */
interface SkippedAlert {
  subscriberId: string;
  alertId: string;
  reason: string;
}

export interface MatcherTopics {
  topics: MatcherTopic[];
  skipped: SkippedAlert[];
}

/**
 * The config topics first (in config order), then each subscriber's active alerts (profile order)
 * under `alert:<id>`. Paused alerts match nothing. An alert beyond the limits of the config in force
 * (the operator lowered `alerts.maxQueryLength` or `alerts.maxPerSubscriber` after it was saved) is
 * left out rather than matched against limits the page would no longer accept.
 */
export function matcherTopics(config: Pick<Config, 'topics' | 'alerts'>, subscribers: readonly Subscriber[]): MatcherTopics {
  const topics: MatcherTopic[] = config.topics.map((t) => ({ id: t.id, query: t.query }));
  const skipped: SkippedAlert[] = [];
  const { maxPerSubscriber, maxQueryLength } = config.alerts;
  for (const subscriber of subscribers) {
    let kept = 0;
    for (const alert of subscriber.alerts ?? []) {
      if (alert.paused) continue;
      const skip = (reason: string) => skipped.push({ subscriberId: subscriber.id, alertId: alert.id, reason });
      if (alert.query.length > maxQueryLength) skip(`query longer than alerts.maxQueryLength (${maxQueryLength})`);
      else if (kept >= maxPerSubscriber) skip(`more than alerts.maxPerSubscriber (${maxPerSubscriber}) active alerts`);
      else {
        kept += 1;
        topics.push({ id: alertTopicId(alert.id), query: alert.query });
      }
    }
  }
  return { topics, skipped };
}

/** Equal for two sets of topics exactly when they compile into the same matcher. */
export function topicsFingerprint(topics: readonly MatcherTopic[]): string {
  return JSON.stringify(topics.map((t) => [t.id, t.query]));
}
