import type { Frequency } from '../config/schema.ts';
import type { MatchField } from '../model.ts';

// A story for one subscriber, from the match until a digest carries it.

/** Why a hit matched: what an analyst reads in the digest and what an operator can replay. */
export interface HitReason {
  /** A config topic's id, or `alert:<id>` for a personal alert (alertTopicId). */
  topicId: string;
  /** Query terms that matched, as written in the query. */
  terms: string[];
  fields: MatchField[];
  feedUrl: string;
}

/** A snippet cut from the entry's text, with highlight ranges relative to `text`. */
export interface Snippet {
  text: string;
  marks: Array<[number, number]>;
}

type HitStatus = 'pending' | 'sent';

/** One story for one subscriber: created once (conditional put), pending until a digest carries it. */
export interface Hit {
  subscriberId: string;
  storyKey: string;
  topicIds: string[];
  title: string;
  url?: string;
  source: string;
  publishedAt?: string;
  snippet: Snippet;
  /** Title highlight ranges (relative to `title`). */
  titleMarks: Array<[number, number]>;
  reasons: HitReason[];
  /**
   * The most urgent frequency of what it matched for this subscriber (a config topic counts with the
   * subscriber's own): which digest slot carries it. Absent on hits from before personal alerts:
   * the subscriber's frequency.
   */
  frequency?: Frequency;
  createdAt: string;
  status: HitStatus;
  digestId?: string;
  expiresAt: number;
}
