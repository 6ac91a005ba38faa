import { randomUUID } from 'node:crypto';
import type { Config } from '../core/config/schema.ts';
import { isDeliverable } from '../core/cycle/build-hits.ts';
import type { Clock } from '../core/ports/clock.ts';
import type { FeedFetcher } from '../core/ports/feed-fetcher.ts';
import type { Mailer } from '../core/ports/mailer.ts';
import type { ProcessProbe } from '../core/ports/process-probe.ts';
import type { LockLease } from '../core/domain/lock.ts';
import type { CycleStore } from '../core/ports/store.ts';
import type { TopicMatcher } from '../core/query/compile-topics.ts';
import { silentLog, type CycleLog } from './cycle-log.ts';
import type { CycleReport, FeedReport } from './cycle-report.ts';
import { loadSubscribers } from './load-subscribers.ts';
import { mapLimit } from './map-limit.ts';
import { pollFeed } from './poll-feed.ts';
import { sendDigests } from './send-digests.ts';

export interface CycleDeps {
  store: CycleStore;
  fetcher: FeedFetcher;
  mailer: Mailer;
  /** Read once: the whole cycle (item age, schedule, Date header, lock lease) uses that instant. */
  clock: Clock;
  config: Config;
  matcher: TopicMatcher;
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
  const owner = randomUUID();
  const wallStart = performance.now();

  const lockSeconds = options.lockSeconds ?? 900;
  const lock = await takeCycleLock(deps, owner, now, lockSeconds);
  if (typeof lock === 'string') {
    log.info('cycle skipped', { reason: lock });
    return { ...emptyReport(startedAt), skipped: lock };
  }
  if (lock.note) log.warn('cycle lock taken over', { note: lock.note });
  // The lease is renewed while the cycle runs, so a long cycle never loses it to the next one; if a
  // renewal finds it taken anyway, this cycle stops claiming digests (the other one sends them).
  let lockLost = false;
  const renewEvery = Math.max(1_000, (lockSeconds * 1000) / 3);
  const started = Date.now();
  const heartbeat = setInterval(() => {
    const at = new Date(now.getTime() + (Date.now() - started));
    store
      .acquireLock(CYCLE_LOCK, owner, at, lockSeconds, deps.processProbe?.self())
      .then((renewed) => {
        if (!renewed.acquired) lockLost = true;
      })
      .catch((err: unknown) => log.warn('lock renewal failed', { error: err instanceof Error ? err.message : String(err) }));
  }, renewEvery);
  heartbeat.unref();
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
      maxItemsPerFeed: config.fetch.maxItemsPerFeed,
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
      owner,
      lockLost: () => lockLost,
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
    clearInterval(heartbeat);
    await store.releaseLock(CYCLE_LOCK, owner).catch((err: unknown) => {
      // The lease expires by itself; a failed release only delays the next cycle.
      log.warn('lock release failed', { error: err instanceof Error ? err.message : String(err) });
    });
  }
}

/**
 * Takes the cycle lock: free, expired, or held by a process proved dead (locally). Returns what to
 * report about a lease it replaced, or the reason it was refused.
 */
async function takeCycleLock(deps: CycleDeps, owner: string, now: Date, lockSeconds: number): Promise<{ note?: string } | string> {
  const { store, processProbe } = deps;
  const self = processProbe?.self();
  const attempt = await store.acquireLock(CYCLE_LOCK, owner, now, lockSeconds, self);
  if (attempt.acquired) {
    return attempt.replaced ? { note: `the previous cycle (${holderText(attempt.replaced)}) stopped without releasing its lock; its lease ended at ${leaseEnd(attempt.replaced)}` } : {};
  }
  const lease = await store.getLock(CYCLE_LOCK);
  if (lease?.holder && processProbe?.isDead(lease.holder)) {
    if (await store.takeOverLock(CYCLE_LOCK, lease.owner, owner, now, lockSeconds, self)) {
      return { note: `took over the lock of ${holderText(lease)}, which is no longer running` };
    }
  }
  return lease ? `${SKIPPED_LOCKED} (${holderText(lease)}, since ${lease.acquiredAt}; its lease ends at ${leaseEnd(lease)})` : SKIPPED_LOCKED;
}

function holderText(lease: LockLease): string {
  return lease.holder ? `process ${lease.holder.pid} on ${lease.holder.host}` : `owner ${lease.owner.slice(0, 8)}`;
}

function leaseEnd(lease: LockLease): string {
  return new Date(lease.expiresAt * 1000).toISOString();
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
