// A story's matchable text, kept a little over a week so an alert can be previewed against the
// stories it would have caught (README, "Personal alerts").

/** How long a recent story is kept: the preview's 7 days plus a day of slack for TTL's lazy delete. */
export const RECENT_STORY_DAYS = 8;

/** The text a recent story keeps: the preview matches this much of a story's summary or content. */
export const RECENT_TEXT_MAX = 20_000;

export interface RecentStory {
  key: string;
  title: string;
  /** Summary or content, NFKC-normalized, cut at RECENT_TEXT_MAX characters. */
  text: string;
  categories: string[];
  url?: string;
  /** Display name of the feed that carried it first. */
  source: string;
  publishedAt?: string;
  /** ISO; orders the stories and names their day partition. */
  firstSeenAt: string;
  expiresAt: number;
}
