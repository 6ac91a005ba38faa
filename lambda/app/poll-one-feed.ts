import type { Config } from '../core/config/schema.ts';
import type { Clock } from '../core/ports/clock.ts';
import type { FeedFetcher } from '../core/ports/feed-fetcher.ts';
import type { FeedJob } from '../core/ports/feed-queue.ts';
import type { CycleStore } from '../core/ports/store.ts';
import type { CycleLog } from './cycle-log.ts';
import type { FeedReport } from './cycle-report.ts';
import type { LiveConfigCache } from './live-config.ts';
import { pollContext } from './poll-context.ts';
import { pollFeed } from './poll-feed.ts';
import { maintainPush, type PushDeps } from './websub/maintain-push.ts';

export interface WorkerDeps {
  store: CycleStore;
  fetcher: FeedFetcher;
  config: Config;
  live: LiveConfigCache;
  clock: Clock;
  log: CycleLog;
  /** WebSub subscribing (docs/feeds.md, "Push (WebSub)"): only when hubs have a callback to reach. */
  push?: PushDeps;
}

export type PollOutcome = { polled: FeedReport } | { skipped: string };

/** A job more than this early is stale: its feed was polled since the job was queued. */
const EARLY_MS = 30_000;

/**
 * Polls one feed from the queue (docs/scaling.md, "Per-feed work"). Safe to run twice for one job
 * and beside other workers: stories and hits are conditional writes, and the feed's state is written
 * only over the version it was read at, so a duplicated or redelivered message does no harm. A job
 * for a feed whose state says it is not due yet (polled since) is skipped without a fetch; so is one
 * for a feed that was removed, which also leaves the due index.
 */
export async function pollOneFeed(deps: WorkerDeps, job: FeedJob): Promise<PollOutcome> {
  const now = deps.clock.now();
  let live = await deps.live.current(now);
  const state = (await deps.store.getFeedStates([job.feedUrl])).get(job.feedUrl);
  // A feed the cache does not know may have been added a moment ago: ask again before dropping it.
  if (!live.feeds.some((f) => f.url === job.feedUrl)) live = await deps.live.refresh(now);
  const feed = live.feeds.find((f) => f.url === job.feedUrl);
  if (!feed) {
    if (state?.nextDueAt) {
      const { nextDueAt: _due, ...unscheduled } = state;
      await deps.store.putFeedState(unscheduled);
    }
    return { skipped: 'no longer a configured feed' };
  }
  if (state?.nextDueAt && Date.parse(state.nextDueAt) > now.getTime() + EARLY_MS) return { skipped: 'not due (polled since the job was queued)' };
  const ctx = pollContext({ store: deps.store, fetcher: deps.fetcher, config: deps.config, log: deps.log }, live, now);
  if (!deps.push) return { polled: (await pollFeed(ctx, feed, state)).report };
  const push = (await deps.push.store.getPushStates([feed.url])).get(feed.url);
  const result = await pollFeed({ ...ctx, ...(push ? { push } : {}) }, feed, state);
  // A failed poll says nothing new about the feed's hubs; the subscription waits for a good one.
  if (!result.report.error) {
    const done = await maintainPush(deps.push, feed.url, result.websub, push, result.state).catch((error: unknown) => `push not maintained: ${String(error)}`);
    if (done) deps.log.info('websub', { feed: feed.url, done });
  }
  return { polled: result.report };
}
