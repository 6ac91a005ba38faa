import type { Config } from '../core/config/schema.ts';
import type { Clock } from '../core/ports/clock.ts';
import type { FeedFetcher } from '../core/ports/feed-fetcher.ts';
import type { Mailer } from '../core/ports/mailer.ts';
import type { ProcessProbe } from '../core/ports/process-probe.ts';
import type { CycleStore } from '../core/ports/store.ts';
import { silentLog, type CycleLog } from './cycle-log.ts';
import type { CycleReport, FeedReport } from './cycle-report.ts';
import { takeLease } from './lease.ts';
import { LiveConfigCache } from './live-config.ts';
import { pollContext } from './poll-context.ts';
import { mapLimit } from './map-limit.ts';
import { pollFeed } from './poll-feed.ts';
import { sendDue } from './send-due.ts';

export interface CycleDeps {
  store: CycleStore;
  fetcher: FeedFetcher;
  mailer: Mailer;
  /** Read once: the whole cycle (item age, schedule, Date header, lock lease) uses that instant. */
  clock: Clock;
  config: Config;
  /** HMAC key of unsubscribe/manage tokens. */
  tokenKey: string;
  log?: CycleLog;
  /** Locally: proves a lock holder dead, so a crashed run's lock is taken over at once. */
  processProbe?: ProcessProbe;
}

export interface CycleOptions {
  /** Lease of the cycle lock; a crashed cycle blocks others at most this long. Default 900 s. */
  lockSeconds?: number;
  /** Base of unsubscribe/manage links when config.mail.publicUrl is unset (the deployed API's URL). */
  publicUrl?: string;
}

const CYCLE_LOCK = 'cycle';
export const SKIPPED_LOCKED = 'another cycle is running';

/**
 * One cycle (docs/behaviour.md, Commands: `run`): take the cycle lock, work out who is subscribed (config file, stored
 * profiles and suppressions; read only), poll every feed with bounded concurrency (conditional GET;
 * unchanged items cost nothing), record new stories and hits, then send every digest that is due,
 * once. Feed failures are reported, never thrown; a store or
 * lock failure is fatal and thrown.
 */
export async function runCycle(deps: CycleDeps, options: CycleOptions = {}): Promise<CycleReport> {
  const { store, config } = deps;
  const log = deps.log ?? silentLog;
  const now = deps.clock.now();
  const startedAt = now.toISOString();
  const wallStart = performance.now();

  const lockSeconds = options.lockSeconds ?? 900;
  const lock = await takeLease({ store, processProbe: deps.processProbe, log }, CYCLE_LOCK, SKIPPED_LOCKED, now, lockSeconds);
  if (typeof lock === 'string') {
    log.info('cycle skipped', { reason: lock });
    return { ...emptyReport(startedAt), skipped: lock };
  }
  try {
    const live = new LiveConfigCache(store, config, { log });
    const current = await live.current(now);
    const { feeds: feedList, subscribers } = current;
    const states = await store.getFeedStates(feedList.map((f) => f.url));
    const ctx = pollContext({ store, fetcher: deps.fetcher, config, log }, current, now);
    const feeds = await mapLimit(feedList, config.fetch.concurrency, async (feed): Promise<FeedReport> => {
      try {
        return (await pollFeed(ctx, feed, states.get(feed.url))).report;
      } catch (err) {
        // Only the store can throw out of pollFeed; one feed's bad luck must not cost the others.
        const message = err instanceof Error ? err.message : String(err);
        log.error('feed step failed', { feed: feed.url, error: message });
        return { ...blankFeedReport(feed.url, feed.name ?? feed.url), status: 'store-error', error: `store-error: ${message}` };
      }
    });

    // Sending takes the sender's own lease too, so `run` beside `newshound up` never sends the
    // same digest as up's sender; if that one is at work, it sends these hits itself.
    const { skipped: sendingSkipped, ...sent } = await sendDue(
      { store, mailer: deps.mailer, config, clock: deps.clock, tokenKey: deps.tokenKey, log, live, ...(deps.processProbe ? { processProbe: deps.processProbe } : {}), ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}) },
      { lockSeconds, subscribers },
    );
    if (sendingSkipped) log.info('sending skipped', { reason: sendingSkipped });
    const report: CycleReport = {
      startedAt,
      finishedAt: deps.clock.now().toISOString(),
      durationMs: Math.round(performance.now() - wallStart),
      feeds,
      ...sent,
      ...(sendingSkipped ? { sendingSkipped } : {}),
      ...(lock.note ? { lockNote: lock.note } : {}),
      totals: {
        feeds: feeds.length,
        failed: feeds.filter((f) => f.error !== undefined).length,
        items: sum(feeds, (f) => f.items),
        new: sum(feeds, (f) => f.new),
        matched: sum(feeds, (f) => f.matched),
        hits: sum(feeds, (f) => f.hits),
      },
    };
    log.info('cycle finished', { totals: report.totals, emails: report.emails.length, sendFailures: report.sendFailures.length });
    return report;
  } finally {
    await lock.release();
  }
}

function emptyReport(startedAt: string): CycleReport {
  return {
    startedAt,
    finishedAt: startedAt,
    durationMs: 0,
    feeds: [],
    emails: [],
    sendFailures: [],
    repairs: [],
    held: 0,
    totals: { feeds: 0, failed: 0, items: 0, new: 0, matched: 0, hits: 0 },
  };
}

function blankFeedReport(url: string, name: string): FeedReport {
  return { url, name, status: '', items: 0, new: 0, matched: 0, old: 0, hits: 0, flags: [], flagReasons: [] };
}

function sum<T>(items: readonly T[], pick: (item: T) => number): number {
  return items.reduce((n, item) => n + pick(item), 0);
}
