import type { Config } from '../core/config/schema.ts';
import { feedHealth, formatDuration } from '../core/cycle/feed-health.ts';
import { emptyFeedState } from '../core/cycle/next-feed-state.ts';
import type { FeedRegistry } from '../core/ports/feed-registry.ts';
import type { FeedStore } from '../core/ports/feed-store.ts';
import type { PushStore } from '../core/ports/push-store.ts';
import { pushSummary } from './websub/push-summary.ts';
import { effectiveFeeds } from './live-config.ts';
import { singleLine } from '../core/digest/safe-text.ts';
import { formatTable, terminalLines, truncate } from './format-table.ts';

/**
 * `newshound feeds`: each feed's health and polling rhythm from stored state (the config file's feeds
 * and those added with `feeds add`; one Query and one batch read, no fetch).
 */
export async function feedOverview(
  store: Pick<FeedStore, 'getFeedStates'> & Pick<FeedRegistry, 'listStoredFeeds'> & Pick<PushStore, 'getPushStates'>,
  config: Config,
  now: Date,
): Promise<string[]> {
  const list = effectiveFeeds(config.feeds, await store.listStoredFeeds());
  const states = await store.getFeedStates(list.map((f) => f.url));
  const pushes = await store.getPushStates(list.map((f) => f.url));
  const rows = [['FEED', 'LAST STATUS', 'LAST 200', 'FAILURES', 'ITEMS/DAY', 'EVERY', 'PUSH', 'FLAGS']];
  const details: string[] = [];
  for (const feed of list) {
    const state = states.get(feed.url) ?? emptyFeedState(feed.url);
    const health = feedHealth(state, now);
    const name = truncate(singleLine(feed.name ?? state.title ?? feed.url), 40);
    rows.push([
      name,
      state.lastStatus ?? 'never polled',
      state.lastSuccessAt ? `${state.lastSuccessAt.slice(0, 16).replace('T', ' ')}Z (${ago(now, state.lastSuccessAt)})` : '-',
      String(state.consecutiveFailures),
      health.itemsPerDay.toFixed(1),
      state.intervalMinutes ? formatDuration(state.intervalMinutes * 60_000) : '-',
      pushes.get(feed.url)?.state ?? '-',
      health.flags.join(',') || '-',
    ]);
    if (state.intervalReason) {
      const next = state.nextDueAt ? `; next poll ${state.nextDueAt.slice(0, 16).replace('T', ' ')}Z` : '';
      details.push(`  ${name}: polled every ${formatDuration((state.intervalMinutes ?? 0) * 60_000)}: ${singleLine(state.intervalReason)}${next}`);
    }
    if (state.lastError && state.consecutiveFailures > 0) details.push(`  ${name} <${feed.url}>: last error: ${singleLine(state.lastError)}`);
    if (state.repaired && state.consecutiveFailures === 0) details.push(`  ${name} <${feed.url}>: repaired: ${singleLine(state.repaired)}`);
    for (const reason of health.reasons) details.push(`  ${name}: ${singleLine(reason)}`);
    const push = pushSummary(pushes.get(feed.url), now);
    if (push) details.push(`  ${name}: push: ${singleLine(push)}`);
  }
  const lines = formatTable(rows, new Set([3, 4]));
  if (details.length > 0) lines.push('', ...details);
  lines.push(
    '',
    'LAST 200 is the last response with content; a 304 ("not modified") is not written, so an unchanged',
    'feed keeps its earlier time. Flags: failing = no success for 24 hours; silent = no new item for',
    'more than max(3 days, 5 x its median gap between items). EVERY is the polling interval chosen from',
    "the feed's own rhythm and its server's wishes (docs/scheduling.md). PUSH is the feed's WebSub",
    'subscription, if it names a hub and a callback URL is configured (docs/feeds.md, "Push (WebSub)").',
  );
  return terminalLines(lines);
}

function ago(now: Date, iso: string): string {
  return `${formatDuration(Math.max(0, now.getTime() - Date.parse(iso)))} ago`;
}
