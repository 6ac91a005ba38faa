import type { StoredFeed } from '../domain/stored-feed.ts';

/** The feeds added and removed at run time (`newshound feeds add|remove`), beside the config file's. */
export interface FeedRegistry {
  listStoredFeeds(): Promise<StoredFeed[]>;
  putStoredFeed(feed: StoredFeed): Promise<void>;
}
