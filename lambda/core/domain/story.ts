// A story: one canonical item, whichever feeds carried it.

/** A story lists at most this many feeds that carried it: the digest shows a few, the item stays small. */
export const MAX_STORY_SOURCES = 20;

/** A story (canonical item) seen by any feed. */
export interface StoryRecord {
  key: string;
  title: string;
  url?: string;
  publishedAt?: string;
  firstSeenAt: string;
  /** Names of the feeds that carried the story, first one first. */
  sources: string[];
  expiresAt: number;
}
