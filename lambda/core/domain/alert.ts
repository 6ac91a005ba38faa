import type { Frequency } from '../config/schema.ts';

// A personal alert: a query a subscriber wrote, kept in their own profile (README, "Personal alerts").

export interface Alert {
  /** Random, URL-safe, unique across all subscribers (`[a-z0-9]{10}`). */
  id: string;
  name: string;
  /** In the query language; checked by parseQuery when saved. */
  query: string;
  /** Absent: the subscriber's own frequency. */
  frequency?: Frequency;
  /** A paused alert is kept but matches nothing. */
  paused: boolean;
  createdAt: string;
  updatedAt: string;
}

/**
 * The id an alert has in the shared matcher and in a hit's topicIds. Config topic ids match
 * `[a-z0-9-]+`, so the colon keeps the two namespaces apart.
 */
export const ALERT_TOPIC_PREFIX = 'alert:';
export const alertTopicId = (alertId: string): string => `${ALERT_TOPIC_PREFIX}${alertId}`;
