import type { Frequency } from '../config/schema.ts';
import { ALERT_TOPIC_PREFIX } from '../domain/alert.ts';
import type { Hit } from '../domain/hit.ts';
import type { Subscriber } from '../domain/subscriber.ts';

// Frequency classes (docs/cycle.md, "Frequencies"): a subscriber's stories go out on the schedule of
// what they matched, so a daily alert's story waits for the daily slot while an immediate alert's
// story of the same subscriber goes out at once.

const URGENCY: Record<Frequency, number> = { immediate: 0, hourly: 1, daily: 2 };

/** The most urgent of these frequencies (immediate before hourly before daily). */
export function mostUrgent(frequencies: readonly Frequency[]): Frequency | undefined {
  let best: Frequency | undefined;
  for (const f of frequencies) if (best === undefined || URGENCY[f] < URGENCY[best]) best = f;
  return best;
}

/** The classes a subscriber's stories can be in: their own frequency and each alert's, most urgent first. */
export function subscriberClasses(subscriber: Subscriber): Frequency[] {
  const classes = new Set<Frequency>([subscriber.frequency, ...(subscriber.alerts ?? []).map((a) => a.frequency ?? subscriber.frequency)]);
  return [...classes].sort((a, b) => URGENCY[a] - URGENCY[b]);
}

/** A pending story that matched only alerts the subscriber has deleted since: it is not mailed. */
export const WITHDRAWN = 'withdrawn';

/**
 * The class a pending hit goes out in, from the profile as it is now (so changing an alert's
 * frequency also moves its waiting stories): the most urgent of its alerts that still exist (paused
 * ones too: they matched before the pause) and of the subscriber's config topics it matched. A hit
 * whose alerts are all deleted since, and that matched none of the subscriber's topics, is WITHDRAWN.
 * Otherwise (a hit from before personal alerts, or one for a topic the subscriber has since left)
 * the subscriber's frequency, as before. The class stored with the hit (`frequency`) is the one at
 * match time; the profile may have moved since, and a class it no longer has would never come due.
 */
export function hitClass(hit: Hit, subscriber: Subscriber): Frequency | typeof WITHDRAWN {
  const found: Frequency[] = [];
  let alerts = 0;
  for (const id of hit.topicIds) {
    if (id.startsWith(ALERT_TOPIC_PREFIX)) {
      alerts += 1;
      const alert = subscriber.alerts?.find((a) => `${ALERT_TOPIC_PREFIX}${a.id}` === id);
      if (alert) found.push(alert.frequency ?? subscriber.frequency);
    } else if (subscriber.topics.includes(id)) found.push(subscriber.frequency);
  }
  const best = mostUrgent(found);
  if (best) return best;
  if (alerts > 0) return WITHDRAWN;
  return subscriber.frequency;
}
