import { randomUUID } from 'node:crypto';
import type { Config } from '../core/config/schema.ts';
import { isDeliverable } from '../core/cycle/build-hits.ts';
import type { Clock } from '../core/ports/clock.ts';
import type { FeedFetcher } from '../core/ports/feed-fetcher.ts';
import type { Mailer } from '../core/ports/mailer.ts';
import type { Store } from '../core/ports/store.ts';
import type { TopicMatcher } from '../core/query/compile-topics.ts';
import { silentLog, type CycleLog } from './cycle-log.ts';
import type { CycleReport, FeedReport } from './cycle-report.ts';
import { loadSubscribers } from './load-subscribers.ts';
import { mapLimit } from './map-limit.ts';
import { pollFeed } from './poll-feed.ts';
import { sendDigests } from './send-digests.ts';

export interface CycleDeps {
  store: Store;
  fetcher: FeedFetcher;
  mailer: Mailer;
  /** Read once: the whole cycle (item age, schedule, Date header, lock lease) uses that instant. */
  clock: Clock;
  config: Config;
  matcher: TopicMatcher;
  /** HMAC key of unsubscribe/manage tokens. */
  tokenKey: string;
  log?: CycleLog;
}

export interface CycleOptions {
  /** Lease of the cycle lock; a crashed cycle blocks others at most this long. Default 900 s. */
  lockSeconds?: number;
  /** Base of unsubscribe/manage links when config.mail.publicUrl is unset (the deployed API's URL). */
  publicUrl?: string;
}

export const CYCLE_LOCK = 'cycle';
export const SKIPPED_LOCKED = 'another cycle is running';

/**
 * One cycle (CONTRACT §1 `run`): take the cycle lock, work out who is subscribed (config file, stored
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
  const owner = randomUUID();
  const wallStart = performance.now();

  if (!(await store.acquireLock(CYCLE_LOCK, owner, now, options.lockSeconds ?? 900))) {
    log.info('cycle skipped', { reason: SKIPPED_LOCKED });
    return { ...emptyReport(startedAt), skipped: SKIPPED_LOCKED };
  }
  try {
    const subscribers = (await loadSubscribers(store, config.subscribers, now)).filter(isDeliverable);
    const states = await store.getFeedStates(config.feeds.map((f) => f.url));
    const fetchOptions = {
      timeoutMs: config.fetch.timeoutSeconds * 1000,
      maxBytes: config.fetch.maxBytes,
      allowPrivateNetworks: config.fetch.allowPrivateNetworks,
    };
    const ctx = {
      store,
      fetcher: deps.fetcher,
      matcher: deps.matcher,
      subscribers,
      now,
      fetchOptions,
      maxItemAgeDays: config.fetch.maxItemAgeDays,
      retentionDays: config.retention.days,
      log,
    };
    const feeds = await mapLimit(config.feeds, config.fetch.concurrency, async (feed): Promise<FeedReport> => {
      try {
        return (await pollFeed(ctx, feed, states.get(feed.url))).report;
      } catch (err) {
        // Only the store can throw out of pollFeed; one feed's bad luck must not cost the others.
        const message = err instanceof Error ? err.message : String(err);
        log.error('feed step failed', { feed: feed.url, error: message });
        return { ...blankFeedReport(feed.url, feed.name ?? feed.url), status: 'store-error', error: `store-error: ${message}` };
      }
    });

    const sent = await sendDigests({
      store,
      mailer: deps.mailer,
      config,
      now,
      tokenKey: deps.tokenKey,
      ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
      subscribers,
      log,
    });

    const report: CycleReport = {
      startedAt,
      finishedAt: deps.clock.now().toISOString(),
      durationMs: Math.round(performance.now() - wallStart),
      feeds,
      ...sent,
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
    await store.releaseLock(CYCLE_LOCK, owner).catch((err: unknown) => {
      // The lease expires by itself; a failed release only delays the next cycle.
      log.warn('lock release failed', { error: err instanceof Error ? err.message : String(err) });
    });
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
