import type { Config } from '../core/config/schema.ts';
import type { Subscriber } from '../core/domain/subscriber.ts';
import type { FeedFetcher } from '../core/ports/feed-fetcher.ts';
import type { TopicMatcher } from '../core/query/compile-topics.ts';
import type { CycleLog } from './cycle-log.ts';
import type { PollContext } from './poll-feed.ts';

/** What one poll needs, from the config: the same for `run`, `up`'s workers and the worker Lambda. */
export function pollContext(
  parts: { store: PollContext['store']; fetcher: FeedFetcher; matcher: TopicMatcher; config: Config; log: CycleLog },
  subscribers: readonly Subscriber[],
  now: Date,
): PollContext {
  const { config } = parts;
  return {
    store: parts.store,
    fetcher: parts.fetcher,
    matcher: parts.matcher,
    subscribers,
    now,
    fetchOptions: {
      timeoutMs: config.fetch.timeoutSeconds * 1000,
      maxBytes: config.fetch.maxBytes,
      allowPrivateNetworks: config.fetch.allowPrivateNetworks,
    },
    maxItemAgeDays: config.fetch.maxItemAgeDays,
    maxItemsPerFeed: config.fetch.maxItemsPerFeed,
    retentionDays: config.retention.days,
    schedule: config.schedule,
    log: parts.log,
  };
}
