import type { Config } from '../core/config/schema.ts';
import type { FeedFetcher } from '../core/ports/feed-fetcher.ts';
import type { CycleLog } from './cycle-log.ts';
import type { LiveConfig } from './live-config.ts';
import type { PollContext } from './poll-feed.ts';

/**
 * What one poll needs, from the config and the live config: the same for `run`, `up`'s workers and
 * the worker Lambda. The subscribers and the matcher come from one read of the live config, so an
 * alert saved on the manage page is matched from the next poll on, without a restart.
 */
export function pollContext(
  parts: { store: PollContext['store']; fetcher: FeedFetcher; config: Config; log: CycleLog },
  live: Pick<LiveConfig, 'subscribers' | 'matcher'>,
  now: Date,
): PollContext {
  const { config } = parts;
  return {
    store: parts.store,
    fetcher: parts.fetcher,
    matcher: live.matcher,
    subscribers: live.subscribers,
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
