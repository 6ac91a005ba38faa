import type { FeedState } from '../domain/feed-state.ts';
import type { StoryRecord } from '../domain/story.ts';

/** Feeds and stories: what the poll side reads and writes about what feeds carried. */
export interface FeedStore {
  getFeedStates(feedUrls: string[]): Promise<Map<string, FeedState>>;
  /**
   * Writes the state over the version it was read at (`state.version`; absent: never stored) and
   * bumps it; false when another writer got there first (nothing written). A `nextDueAt` puts the
   * feed in the due index.
   */
  putFeedState(state: FeedState): Promise<boolean>;
  /** Feeds whose nextDueAt is at or before `now`, soonest first, at most `limit`. */
  dueFeeds(now: Date, limit: number): Promise<Array<{ feedUrl: string; dueAt: string }>>;
  /** Creates the story if absent (returns created: true), else adds `source` to its sources. */
  recordStory(story: StoryRecord): Promise<{ created: boolean; record: StoryRecord }>;
  getStories(keys: string[]): Promise<Map<string, StoryRecord>>;
}
