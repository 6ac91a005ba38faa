import type { FeedState } from '../domain/feed-state.ts';
import type { StoryRecord } from '../domain/story.ts';

/** Feeds and stories: what the poll side reads and writes about what feeds carried. */
export interface FeedStore {
  getFeedStates(feedUrls: string[]): Promise<Map<string, FeedState>>;
  putFeedState(state: FeedState): Promise<void>;
  /** Creates the story if absent (returns created: true), else adds `source` to its sources. */
  recordStory(story: StoryRecord): Promise<{ created: boolean; record: StoryRecord }>;
  getStories(keys: string[]): Promise<Map<string, StoryRecord>>;
}
