import { emptyFeedState } from '../core/cycle/next-feed-state.ts';
import type { Clock } from '../core/ports/clock.ts';
import type { FeedJob, FeedQueue } from '../core/ports/feed-queue.ts';
import type { FeedStore } from '../core/ports/feed-store.ts';
import type { CycleLog } from './cycle-log.ts';
import type { LiveConfigCache } from './live-config.ts';
import { mapLimit } from './map-limit.ts';

export interface DispatchDeps {
  store: Pick<FeedStore, 'dueFeeds' | 'getFeedStates' | 'putFeedState'>;
  queue: FeedQueue;
  live: LiveConfigCache;
  clock: Clock;
  log: CycleLog;
  /**
   * A feed this dispatcher queued less than this long ago is not queued again while its job waits
   * (a backlog would otherwise fill the queue with copies). Default 10 minutes; set it to the
   * queue's visibility timeout, after which a job whose worker died is delivered again anyway.
   */
  requeueAfterMs?: number;
}

export interface DispatchResult {
  dispatched: number;
  /** Feeds seen for the first time (no state yet): given one, due now. */
  seeded: number;
}

/** Most feeds one dispatch queues; the rest are still due at the next one. */
const DISPATCH_LIMIT = 5_000;
/** How far ahead of its due time a feed is queued; below pollOneFeed's tolerance for early jobs. */
const LOOKAHEAD_MS = 25_000;
/** How often the dispatcher looks for configured feeds that have no state yet. */
const SEED_EVERY_MS = 60 * 60_000;

/**
 * Finds the feeds that are due (the due index: a few Queries, no scan) and queues one job each
 * (docs/scaling.md). A feed that was never polled has no state, so it is not in the index: the
 * dispatcher gives it one (due now) on its first run and then hourly, and `newshound feeds add` does
 * the same at once. Queuing a feed twice is harmless (the worker skips a job that is not due).
 */
export class Dispatcher {
  private lastSeedAt = Number.NEGATIVE_INFINITY;
  /** feed URL → the due time this dispatcher queued it for, and when. */
  private readonly queued = new Map<string, { dueAt: string; at: number }>();

  constructor(private readonly deps: DispatchDeps) {}

  async dispatch(): Promise<DispatchResult> {
    const { store, queue, clock, log } = this.deps;
    const now = clock.now();
    const seeded = Date.now() - this.lastSeedAt >= SEED_EVERY_MS ? await this.seed(now) : 0;
    // Feeds falling due before the next dispatch is likely to run are taken now: otherwise each one
    // would wait up to a whole dispatch period past its time (pollOneFeed accepts them this early).
    const due = await store.dueFeeds(new Date(now.getTime() + LOOKAHEAD_MS), DISPATCH_LIMIT);
    const at = now.getTime();
    const requeueAfter = this.deps.requeueAfterMs ?? 10 * 60_000;
    for (const [url, sent] of this.queued) if (at - sent.at >= requeueAfter) this.queued.delete(url);
    // Still due for the same time it was queued for: its job is waiting (or in a worker's hands).
    const waiting = (d: { feedUrl: string; dueAt: string }) => this.queued.get(d.feedUrl)?.dueAt === d.dueAt;
    const jobs: FeedJob[] = due.filter((d) => !waiting(d)).map((d) => ({ feedUrl: d.feedUrl, dueAt: d.dueAt }));
    if (jobs.length > 0) await queue.enqueue(jobs);
    for (const job of jobs) this.queued.set(job.feedUrl, { dueAt: job.dueAt, at });
    if (jobs.length > 0 || seeded > 0) log.info('feeds dispatched', { dispatched: jobs.length, seeded });
    return { dispatched: jobs.length, seeded };
  }

  /** Gives every configured feed without a state one that is due now. */
  private async seed(now: Date): Promise<number> {
    const { feeds } = await this.deps.live.current(now);
    const states = await this.deps.store.getFeedStates(feeds.map((f) => f.url));
    let seeded = 0;
    // 16 at a time: a first deployment with thousands of feeds seeds them in seconds, not minutes.
    await mapLimit(
      feeds.filter((feed) => !states.has(feed.url)),
      16,
      async (feed) => {
        if (await this.deps.store.putFeedState({ ...emptyFeedState(feed.url), nextDueAt: now.toISOString() })) seeded += 1;
      },
    );
    this.lastSeedAt = Date.now();
    return seeded;
  }
}
