import type { RecentStory } from '../domain/recent-story.ts';

/** Recent stories' matchable text: written by the poll side, read by the alert preview. */
export interface RecentStoryWriter {
  /** A plain put: writing the same story twice is harmless. */
  putRecentStory(story: RecentStory): Promise<void>;
}

export interface RecentStoryReader {
  /**
   * Unexpired stories first seen strictly after `after` (ISO) and at or before `until`, oldest
   * first. One Query per UTC day in the range (paged), so a cache can ask for only what is new.
   */
  recentStories(after: string, until: Date): Promise<RecentStory[]>;
}
