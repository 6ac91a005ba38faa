import type { FeedConfig } from '../core/config/schema.ts';
import { buildHits } from '../core/cycle/build-hits.ts';
import { feedHealth } from '../core/cycle/feed-health.ts';
import { expiresAfter, isTooOld } from '../core/cycle/item-age.ts';
import { afterFailure, afterNotModified, afterSuccess, emptyFeedState } from '../core/cycle/next-feed-state.ts';
import { keyHash, newestEntries, responseKeyHashes, selectNewEntries } from '../core/cycle/select-new-entries.ts';
import { FeedError } from '../core/errors/feed-error.ts';
import { parseFeed } from '../core/feed/parse-feed.ts';
import type { FeedEntry, ParsedFeed, WebSubLinks } from '../core/model.ts';
import type { PushState } from '../core/domain/push-state.ts';
import { discoverWebSub } from '../core/websub/discovery.ts';
import type { FeedFetcher, FetchOptions } from '../core/ports/feed-fetcher.ts';
import type { FeedState } from '../core/domain/feed-state.ts';
import type { Subscriber } from '../core/domain/subscriber.ts';
import type { FeedStore } from '../core/ports/feed-store.ts';
import type { HitLedger } from '../core/ports/hit-ledger.ts';
import type { RecentStoryWriter } from '../core/ports/recent-stories.ts';
import { RECENT_STORY_DAYS, RECENT_TEXT_MAX } from '../core/domain/recent-story.ts';
import { cut } from '../core/text/html-to-text.ts';
import type { TopicMatcher } from '../core/query/compile-topics.ts';
import { nextPoll, type PollHints, type ScheduleSettings } from '../core/schedule/next-poll.ts';
import type { FeedReport } from './cycle-report.ts';
import { feedHints, responseHints } from './poll-hints.ts';
import type { CycleLog } from './cycle-log.ts';

export interface PollContext {
  store: FeedStore & Pick<HitLedger, 'putHit'> & RecentStoryWriter;
  fetcher: FeedFetcher;
  matcher: TopicMatcher;
  subscribers: readonly Subscriber[];
  now: Date;
  fetchOptions: FetchOptions;
  maxItemAgeDays: number;
  /** fetch.maxItemsPerFeed: entries considered per response, newest first. */
  maxItemsPerFeed: number;
  retentionDays: number;
  /** schedule.pollMinutes, minMinutes, maxMinutes: when the feed is polled next. */
  schedule: ScheduleSettings;
  log: CycleLog;
  /** The feed's WebSub subscription, if it has one: while it is trusted, the feed is polled only as a safety net. */
  push?: PushState;
}

export interface PollResult {
  report: FeedReport;
  /** The state written (or, when another writer got there first, the one this poll computed). */
  state: FeedState;
  /** The hubs and topic the response named (its Link headers first, then the document), for subscribing. */
  websub?: WebSubLinks;
}

/**
 * One feed's poll: (feed, state) → new stories, hits, and the new state with the time the feed is
 * next due (docs/scheduling.md). Never throws for a feed-level problem: a failure is recorded in the
 * feed's state and the report. The state is written once, last, over the version it was read at.
 */
export async function pollFeed(ctx: PollContext, feed: FeedConfig, stored: FeedState | undefined): Promise<PollResult> {
  const prev = stored ?? emptyFeedState(feed.url);
  const report = newReport(feed, prev);
  let hints: PollHints = {};
  let headerLinks: WebSubLinks | undefined;
  /** Schedules the next poll and writes the state: the one write a 304 costs. */
  const finish = async (state: FeedState, failed: boolean): Promise<PollResult> => {
    const next = nextPoll({ now: ctx.now, schedule: ctx.schedule, state, failed, hints, ...(ctx.push ? { push: ctx.push } : {}) });
    const { ttlMinutes: _ttl, updateEveryMinutes: _every, ...rest } = state;
    const declared = parsed ? feedHints(parsed) : feedHints(prev);
    const scheduled: FeedState = { ...rest, ...declared, nextDueAt: next.nextDueAt, intervalMinutes: next.intervalMinutes, intervalReason: next.reason };
    // Written after the stories and hits: a crash before this line makes the next poll look at the
    // same entries again, and the conditional writes keep that from creating anything twice.
    if (!(await ctx.store.putFeedState(scheduled))) ctx.log.info('feed state written by another poll meanwhile', { feed: feed.url });
    const health = feedHealth(scheduled, ctx.now);
    report.flags = health.flags;
    report.flagReasons = health.reasons;
    const websub = discoverWebSub(headerLinks, parsed?.websub);
    return { report, state: scheduled, ...(websub ? { websub } : {}) };
  };

  let parsed: ParsedFeed | undefined;
  let validators: { etag?: string; lastModified?: string } = {};
  let failure: FeedError | undefined;
  try {
    const outcome = await ctx.fetcher.fetch(feed.url, validatorsOf(prev), ctx.fetchOptions);
    hints = { ...feedHints(prev), ...responseHints(outcome) };
    if (outcome.kind === 'error') throw outcome.error;
    headerLinks = outcome.websub;
    if (outcome.kind === 'ok') {
      report.status = String(outcome.status);
      parsed = await parseFeed(outcome.body, outcome.finalUrl || feed.url);
      hints = { ...responseHints(outcome), ...feedHints(parsed) };
      validators = { etag: outcome.etag, lastModified: outcome.lastModified };
    }
  } catch (err) {
    failure = asFeedError(err);
  }

  if (failure) {
    report.status = failure.kind;
    report.error = failure.toSummary();
    const next = afterFailure(prev, failure, ctx.now);
    ctx.log.warn('feed failed', { feed: feed.url, error: report.error });
    return finish(next, true);
  }
  if (!parsed) {
    // docs/behaviour.md, Dedupe: a 304 costs no parsing, and one write: the next due time.
    report.status = '304';
    report.items = prev.recentKeyHashes.length;
    return finish(afterNotModified(prev, ctx.now) ?? prev, false);
  }

  const { considered, fresh, failed } = await recordEntries(ctx, feed, report, parsed, prev);

  // With an entry left to retry, no validators: a 304 next cycle would hide that entry for good.
  if (failed.size > 0) validators = {};
  const next = afterSuccess(
    prev,
    {
      ...(validators.etag ? { etag: validators.etag } : {}),
      ...(validators.lastModified ? { lastModified: validators.lastModified } : {}),
      ...(parsed.title ? { title: parsed.title } : {}),
      ...(parsed.repaired ? { repaired: parsed.repaired } : {}),
      keyHashes: responseKeyHashes(considered).filter((hash) => !failed.has(hash)),
      newItemTimes: fresh.filter((e) => !failed.has(keyHash(e.key))).map((e) => itemTime(e, ctx.now)),
    },
    ctx.now,
  );
  return finish(next ?? prev, false);
}

/** A report with nothing counted yet. */
export function newReport(feed: FeedConfig, prev: FeedState): FeedReport {
  return { url: feed.url, name: feed.name ?? prev.title ?? hostOf(feed.url), status: '', items: 0, new: 0, matched: 0, old: 0, hits: 0, flags: [], flagReasons: [] };
}

/**
 * The entries of a parsed response not in the feed's state, recorded as stories (and matched); the
 * same for a polled response and a pushed one (docs/feeds.md, "Push (WebSub)").
 */
export async function recordEntries(
  ctx: PollContext,
  feed: FeedConfig,
  report: FeedReport,
  parsed: ParsedFeed,
  prev: FeedState,
): Promise<{ considered: FeedEntry[]; fresh: FeedEntry[]; failed: Set<string> }> {
  if (!feed.name && parsed.title) report.name = parsed.title;
  report.items = parsed.entries.length;
  if (parsed.dropped > 0) report.dropped = parsed.dropped;
  if (parsed.repaired) report.repaired = parsed.repaired;
  const considered = newestEntries(parsed.entries, ctx.maxItemsPerFeed);
  if (considered.length < parsed.entries.length) report.capped = parsed.entries.length - considered.length;
  const fresh = selectNewEntries(considered, prev.recentKeyHashes);
  const expiresAt = expiresAfter(ctx.now, ctx.retentionDays);
  const failed = new Set<string>();
  for (const entry of fresh) {
    try {
      await recordEntry(ctx, feed, report, entry, expiresAt);
    } catch (err) {
      // One entry the store refused (or a store hiccup) costs that entry, not the feed's others. Its
      // key stays out of the feed's state, so the next cycle tries it again.
      failed.add(keyHash(entry.key));
      report.failedEntries = (report.failedEntries ?? 0) + 1;
      report.entryError ??= err instanceof Error ? err.message : String(err);
      ctx.log.warn('entry failed', { feed: feed.url, error: report.entryError });
    }
  }
  return { considered, fresh, failed };
}

/** First sighting of an entry by this feed: record the story; a new, recent story is matched. */
async function recordEntry(
  ctx: PollContext,
  feed: FeedConfig,
  report: FeedReport,
  entry: FeedEntry,
  expiresAt: number,
): Promise<void> {
  const { created, record } = await ctx.store.recordStory({
    key: entry.key,
    title: entry.title,
    ...(entry.url ? { url: entry.url } : {}),
    ...(entry.publishedAt ? { publishedAt: entry.publishedAt } : {}),
    firstSeenAt: ctx.now.toISOString(),
    sources: [report.name],
    expiresAt,
  });
  if (isTooOld(entry.publishedAt, ctx.now, ctx.maxItemAgeDays)) {
    if (created) report.old += 1;
    return;
  }
  // Not created: another feed (or an earlier cycle) already reported this story; the store has
  // added this feed to its sources, which the digest shows as "also carried by". The exception is a
  // story this very feed recorded first while the entry is still absent from its stored state: an
  // earlier cycle stopped between recording the story and writing its hits. Matching again finishes
  // that work; the conditional putHit keeps anyone from getting the story twice.
  if (!created && !interruptedEarlier(record.sources, report.name)) return;
  report.new += 1;
  await keepForPreview(ctx, feed, report, entry, record.firstSeenAt);
  const matches = ctx.matcher.match({ title: entry.title, text: entry.text, categories: entry.categories });
  if (matches.length === 0) return;
  report.matched += 1;
  const hits = buildHits({
    entry,
    matches,
    subscribers: ctx.subscribers,
    feedUrl: feed.url,
    source: report.name,
    now: ctx.now,
    expiresAt,
  });
  for (const hit of hits) {
    if (await ctx.store.putHit(hit)) report.hits += 1;
  }
}

/**
 * The story's matchable text for the alert preview (README, "Personal alerts"; docs/table-layout.md):
 * only stories recent enough to alert, as the preview shows what an alert would have sent. Keyed by
 * the stored firstSeenAt, so finishing an interrupted entry writes the same item again. A failure is
 * logged and costs nothing else: the preview missing one story is better than failing the entry,
 * which would hold back its hits and, if recent-story writes kept failing (throttling, a policy
 * without them), every alert of every feed.
 */
async function keepForPreview(ctx: PollContext, feed: FeedConfig, report: FeedReport, entry: FeedEntry, firstSeenAt: string): Promise<void> {
  try {
    await ctx.store.putRecentStory({
      key: entry.key,
      title: entry.title,
      text: cut(entry.text, RECENT_TEXT_MAX),
      categories: entry.categories,
      ...(entry.url ? { url: entry.url } : {}),
      source: report.name,
      ...(entry.publishedAt ? { publishedAt: entry.publishedAt } : {}),
      firstSeenAt,
      expiresAt: Math.floor(Date.parse(firstSeenAt) / 1000) + RECENT_STORY_DAYS * 86_400,
    });
  } catch (err) {
    ctx.log.warn('recent story not written', { feed: feed.url, error: err instanceof Error ? err.message : String(err) });
  }
}

function interruptedEarlier(sources: readonly string[], feedName: string): boolean {
  return sources[0] === feedName;
}

function validatorsOf(state: FeedState): { etag?: string; lastModified?: string } {
  return {
    ...(state.etag ? { etag: state.etag } : {}),
    ...(state.lastModified ? { lastModified: state.lastModified } : {}),
  };
}

/** When the item appeared, for items/day: its publication time when readable and not in the future. */
export function itemTime(entry: FeedEntry, now: Date): string {
  const published = entry.publishedAt ? Date.parse(entry.publishedAt) : Number.NaN;
  if (Number.isNaN(published) || published > now.getTime()) return now.toISOString();
  return new Date(published).toISOString();
}

export function asFeedError(err: unknown): FeedError {
  if (err instanceof FeedError) return err;
  return new FeedError('network', err instanceof Error ? err.message : String(err));
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
