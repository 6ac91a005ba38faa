import type { FeedConfig } from '../../core/config/schema.ts';
import { emptyFeedState, ITEM_TIMES_KEPT } from '../../core/cycle/next-feed-state.ts';
import { keyHash, responseKeyHashes } from '../../core/cycle/select-new-entries.ts';
import type { FeedState } from '../../core/domain/feed-state.ts';
import { parseFeed } from '../../core/feed/parse-feed.ts';
import type { FeedReport } from '../cycle-report.ts';
import { asFeedError, itemTime, newReport, type PollContext, recordEntries } from '../poll-feed.ts';

/** Tries at writing the merged state when polls or other pushes keep writing it meanwhile. */
const WRITE_ATTEMPTS = 3;

/**
 * A pushed body (a WebSub content distribution, already verified) through the poll path: parsed
 * under the same limits, deduped against the feed's state, new entries recorded, matched and hit
 * (docs/feeds.md, "Push (WebSub)"). The feed state gains the pushed entries' key hashes, merged with
 * those it had (a push may carry only the new entries), and their item times; its validators,
 * health and next due time are the polls' business and stay as they are, so a push never makes a
 * poll come sooner. A body that is not a readable feed is reported, not recorded as the feed failing.
 */
export async function absorbPush(ctx: PollContext, feed: FeedConfig, stored: FeedState | undefined, body: string): Promise<FeedReport> {
  let prev = stored ?? emptyFeedState(feed.url);
  const report = newReport(feed, prev);
  report.status = 'push';
  let parsed: Awaited<ReturnType<typeof parseFeed>>;
  try {
    parsed = await parseFeed(body, feed.url);
  } catch (err) {
    const error = asFeedError(err);
    report.status = error.kind;
    report.error = error.toSummary();
    return report;
  }
  const { considered, fresh, failed } = await recordEntries(ctx, feed, report, parsed, prev);
  const pushedHashes = responseKeyHashes(considered).filter((hash) => !failed.has(hash));
  const times = fresh.filter((e) => !failed.has(keyHash(e.key))).map((e) => itemTime(e, ctx.now));
  for (let attempt = 1; ; attempt += 1) {
    const merged = merge(prev, pushedHashes, times, ctx.maxItemsPerFeed, ctx.now);
    if (merged === undefined || (await ctx.store.putFeedState(merged))) return report;
    if (attempt >= WRITE_ATTEMPTS) {
      // The stories and hits are written; the next poll sees these entries again and the
      // conditional writes keep it from alerting anyone twice.
      ctx.log.warn('pushed entries not merged into the feed state: it kept changing', { feed: feed.url });
      return report;
    }
    prev = (await ctx.store.getFeedStates([feed.url])).get(feed.url) ?? emptyFeedState(feed.url);
  }
}

/** The state with the pushed hashes first and item times added; undefined when nothing changes. */
function merge(prev: FeedState, hashes: readonly string[], times: readonly string[], maxHashes: number, now: Date): FeedState | undefined {
  const recentKeyHashes = [...new Set([...hashes, ...prev.recentKeyHashes])].slice(0, maxHashes);
  const newItemTimes = [...new Set([...prev.newItemTimes, ...times])].sort().slice(-ITEM_TIMES_KEPT);
  const known = new Set(prev.recentKeyHashes);
  if (hashes.every((h) => known.has(h)) && times.length === 0 && prev.nextDueAt) return undefined;
  // A state without a due time would leave the due index, and the feed would never be polled again.
  return { ...prev, recentKeyHashes, newItemTimes, nextDueAt: prev.nextDueAt ?? now.toISOString() };
}
