// Feeds kept in the store beside those in the config file (`newshound feeds add`): the file is the seed.

export interface StoredFeed {
  url: string;
  name?: string;
  addedAt: string;
  /** A removed feed stays as a tombstone, so a feed of the config file can be removed too. */
  removedAt?: string;
}
