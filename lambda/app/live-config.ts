import type { Config, FeedConfig } from '../core/config/schema.ts';
import { isDeliverable } from '../core/cycle/build-hits.ts';
import type { Subscriber } from '../core/domain/subscriber.ts';
import type { StoredFeed } from '../core/domain/stored-feed.ts';
import type { FeedRegistry } from '../core/ports/feed-registry.ts';
import type { SubscriberReader } from '../core/ports/subscriber-store.ts';
import type { SuppressionReader } from '../core/ports/suppression-store.ts';
import { LIVE_CONFIG_VERSION, type VersionStore } from '../core/ports/version-store.ts';
import { loadSubscribers } from './load-subscribers.ts';

/** What changes without a redeploy: the feeds (config file + `feeds add|remove`) and the subscribers. */
export interface LiveConfig {
  feeds: FeedConfig[];
  /** Deliverable subscribers only (active, not suppressed). */
  subscribers: Subscriber[];
}

type LiveStore = Pick<FeedRegistry, 'listStoredFeeds'> & SubscriberReader & SuppressionReader & Pick<VersionStore, 'getVersion'>;

/** The config file's feeds with those added at run time, minus those removed (the file is the seed). */
export function effectiveFeeds(configured: readonly FeedConfig[], stored: readonly StoredFeed[]): FeedConfig[] {
  const byUrl = new Map(stored.map((feed) => [feed.url, feed]));
  const feeds: FeedConfig[] = configured.filter((feed) => !byUrl.get(feed.url)?.removedAt);
  const listed = new Set(feeds.map((feed) => feed.url));
  for (const feed of stored) {
    if (feed.removedAt || listed.has(feed.url) || configured.some((c) => c.url === feed.url)) continue;
    feeds.push({ url: feed.url, ...(feed.name ? { name: feed.name } : {}) });
  }
  return feeds;
}

/**
 * The live config, read once and kept until the change counter moves: every call costs one small
 * GetItem (the counter), not a Query of every subscriber and feed, so a worker polling thousands of
 * feeds does not hammer one partition. Also re-read after `maxAgeMs` whatever the counter says.
 */
export class LiveConfigCache {
  private cached: { version: number; at: number; value: LiveConfig } | undefined;
  private checked: { version: number; at: number } | undefined;

  /**
   * @param maxAgeMs read the lists again after this long whatever the counter says (default 5 min).
   * @param checkEveryMs read the counter at most this often (default 10 s): a worker polling many
   *   feeds a second pays one GetItem per interval, not one per feed.
   */
  constructor(
    private readonly store: LiveStore,
    private readonly config: Config,
    private readonly maxAgeMs = 5 * 60_000,
    private readonly checkEveryMs = 10_000,
  ) {}

  /** Reads the counter now (and the lists, if it moved): for a caller that met a feed it does not know. */
  refresh(now: Date): Promise<LiveConfig> {
    this.checked = undefined;
    return this.current(now);
  }

  async current(now: Date): Promise<LiveConfig> {
    const fresh = this.checked && Date.now() - this.checked.at < this.checkEveryMs;
    const version = fresh && this.checked ? this.checked.version : await this.store.getVersion(LIVE_CONFIG_VERSION);
    if (!fresh) this.checked = { version, at: Date.now() };
    const cached = this.cached;
    if (cached && cached.version === version && Date.now() - cached.at < this.maxAgeMs) return cached.value;
    const [stored, subscribers] = await Promise.all([this.store.listStoredFeeds(), loadSubscribers(this.store, this.config.subscribers, now)]);
    const value = { feeds: effectiveFeeds(this.config.feeds, stored), subscribers: subscribers.filter(isDeliverable) };
    this.cached = { version, at: Date.now(), value };
    return value;
  }
}
