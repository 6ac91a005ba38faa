import type { Config, FeedConfig } from '../core/config/schema.ts';
import { isDeliverable } from '../core/cycle/build-hits.ts';
import { ALERT_TOPIC_PREFIX } from '../core/domain/alert.ts';
import type { Subscriber } from '../core/domain/subscriber.ts';
import type { StoredFeed } from '../core/domain/stored-feed.ts';
import type { FeedRegistry } from '../core/ports/feed-registry.ts';
import { compileTopics, type TopicMatcher } from '../core/query/compile-topics.ts';
import { matcherTopics, topicsFingerprint } from '../core/query/matcher-topics.ts';
import type { SubscriberReader } from '../core/ports/subscriber-store.ts';
import type { SuppressionReader } from '../core/ports/suppression-store.ts';
import { LIVE_CONFIG_VERSION, type VersionStore } from '../core/ports/version-store.ts';
import { silentLog, type CycleLog } from './cycle-log.ts';
import { loadSubscribers } from './load-subscribers.ts';

/**
 * What changes without a redeploy: the feeds (config file + `feeds add|remove`), the subscribers and
 * with them their personal alerts.
 */
export interface LiveConfig {
  feeds: FeedConfig[];
  /** Deliverable subscribers only (active, not suppressed). */
  subscribers: Subscriber[];
  /**
   * One matcher over the config topics and every active alert of these subscribers (docs/cycle.md,
   * "One matcher"). The same object as long as that set is unchanged; compiled on its first use, so
   * the dispatcher and the sender, which never match, never pay for it.
   */
  matcher: TopicMatcher;
}

/** Settings of the cache; every one has a default. */
interface LiveConfigOptions {
  /** Read the lists again after this long whatever the counter says (default 5 min). */
  maxAgeMs?: number;
  /**
   * Read the counter at most this often (default 10 s): a worker polling many feeds a second pays
   * one GetItem per interval, not one per feed.
   */
  checkEveryMs?: number;
  /** Where a stored alert the matcher leaves out is reported. */
  log?: CycleLog;
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
  private compiled: { fingerprint: string; matcher: TopicMatcher } | undefined;
  private readonly maxAgeMs: number;
  private readonly checkEveryMs: number;
  private readonly log: CycleLog;

  constructor(
    private readonly store: LiveStore,
    private readonly config: Config,
    options: LiveConfigOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
    this.checkEveryMs = options.checkEveryMs ?? 10_000;
    this.log = options.log ?? silentLog;
  }

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
    const deliverable = subscribers.filter(isDeliverable);
    const value = { feeds: effectiveFeeds(this.config.feeds, stored), subscribers: deliverable, matcher: this.matcherFor(deliverable) };
    this.cached = { version, at: Date.now(), value };
    return value;
  }

  /**
   * The matcher of the last read when the set of (topic id, query) is unchanged, so a counter moved
   * by a feed change, a new subscriber or an edited frequency costs no recompilation.
   */
  private matcherFor(subscribers: readonly Subscriber[]): TopicMatcher {
    const { topics, skipped } = matcherTopics(this.config, subscribers);
    const fingerprint = topicsFingerprint(topics);
    if (this.compiled?.fingerprint === fingerprint) return this.compiled.matcher;
    const log = this.log;
    let built: TopicMatcher | undefined;
    const matcher: TopicMatcher = {
      match(doc) {
        built ??= compileLive(topics, skipped, log);
        return built.match(doc);
      },
    };
    this.compiled = { fingerprint, matcher };
    return matcher;
  }
}

/**
 * A stored alert that no longer parses (say, the language grew stricter) is left out with a log
 * line: one subscriber's query must never stop everyone's matching. A config topic's query was
 * checked when the config was loaded (compileConfigTopics), so its error stays fatal.
 */
function compileLive(topics: Parameters<typeof compileTopics>[0], skipped: ReturnType<typeof matcherTopics>['skipped'], log: CycleLog): TopicMatcher {
  for (const s of skipped) log.warn('alert left out of matching', { subscriber: s.subscriberId, alert: s.alertId, reason: s.reason });
  return compileTopics(topics, (topicId, error) => {
    if (!topicId.startsWith(ALERT_TOPIC_PREFIX)) throw error.forTopic(topicId);
    log.warn('alert left out of matching', { alert: topicId.slice(ALERT_TOPIC_PREFIX.length), reason: `query does not parse: ${error.message}` });
  });
}
