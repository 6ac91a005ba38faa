import type { FeedError } from '../errors/feed-error.ts';
import type { FeedState } from '../domain/feed-state.ts';

/** How many item times a feed keeps for its items-per-day rate and its silence check. */
export const ITEM_TIMES_KEPT = 100;

export function emptyFeedState(feedUrl: string): FeedState {
  return { feedUrl, consecutiveFailures: 0, recentKeyHashes: [], newItemTimes: [] };
}

export interface FeedSuccess {
  etag?: string;
  lastModified?: string;
  title?: string;
  /** Key hashes of every entry considered in this response (see keyHash). */
  keyHashes: string[];
  /** How the response had to be repaired to be read, if it did (see ParsedFeed.repaired). */
  repaired?: string;
  /** Times of the entries this response added (publication time when readable, else now). */
  newItemTimes: string[];
}

/**
 * The state after a 304: `undefined` (nothing to write) unless the feed is recovering from failures.
 * docs/behaviour.md, Dedupe: a 304 costs no writes, so `lastAttemptAt` of an unchanged feed lives only in the report.
 */
export function afterNotModified(prev: FeedState, now: Date): FeedState | undefined {
  if (prev.consecutiveFailures === 0 && !prev.lastError) return undefined;
  const { lastError: _e, failingSince: _f, ...rest } = prev;
  const at = now.toISOString();
  return { ...rest, lastStatus: '304', consecutiveFailures: 0, lastAttemptAt: at, lastSuccessAt: at };
}

/** The state after a parsed 200; `undefined` when nothing a later cycle reads has changed. */
export function afterSuccess(prev: FeedState, success: FeedSuccess, now: Date): FeedState | undefined {
  const at = now.toISOString();
  const next: FeedState = {
    feedUrl: prev.feedUrl,
    ...(prev.version !== undefined ? { version: prev.version } : {}),
    ...(success.title ?? prev.title ? { title: clip(success.title ?? prev.title ?? '', MAX_FEED_TITLE_CHARS) } : {}),
    ...(success.etag ? { etag: success.etag } : {}),
    ...(success.lastModified ? { lastModified: success.lastModified } : {}),
    lastStatus: '200',
    lastAttemptAt: at,
    lastSuccessAt: at,
    consecutiveFailures: 0,
    recentKeyHashes: success.keyHashes,
    ...(success.repaired ? { repaired: clip(success.repaired, MAX_ERROR_CHARS) } : {}),
    newItemTimes: mergeItemTimes(prev.newItemTimes, success.newItemTimes),
  };
  return changed(prev, next) ? next : undefined;
}

/** The state after a failed fetch or parse: always written (the failure count moved). */
export function afterFailure(prev: FeedState, error: FeedError, now: Date): FeedState {
  const at = now.toISOString();
  return {
    ...prev,
    lastStatus: error.kind,
    lastError: clip(error.toSummary(), MAX_ERROR_CHARS),
    lastAttemptAt: at,
    consecutiveFailures: prev.consecutiveFailures + 1,
    failingSince: prev.failingSince ?? at,
  };
}

/** Sorted, de-duplicated, newest last, capped at ITEM_TIMES_KEPT. */
function mergeItemTimes(previous: readonly string[], added: readonly string[]): string[] {
  if (added.length === 0) return [...previous];
  const all = [...new Set([...previous, ...added])].sort();
  return all.slice(-ITEM_TIMES_KEPT);
}

// Timestamps of the attempt are not a change by themselves: an unchanged feed is not rewritten.
function changed(prev: FeedState, next: FeedState): boolean {
  const strip = ({ lastAttemptAt: _a, lastSuccessAt: _s, ...rest }: FeedState) => ({
    title: rest.title,
    etag: rest.etag,
    lastModified: rest.lastModified,
    lastStatus: rest.lastStatus === '304' ? '200' : rest.lastStatus,
    lastError: rest.lastError,
    failures: rest.consecutiveFailures,
    failingSince: rest.failingSince,
    recentKeyHashes: rest.recentKeyHashes,
    repaired: rest.repaired,
    newItemTimes: rest.newItemTimes,
  });
  return JSON.stringify(strip(prev)) !== JSON.stringify(strip(next));
}

/** Longest error text kept in a feed's state: a server's error page must not bloat the item. */
const MAX_ERROR_CHARS = 500;
/** Longest feed title kept in its state. */
const MAX_FEED_TITLE_CHARS = 300;

/** At most `max` code points, the last one an ellipsis when something was cut. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${Array.from(text).slice(0, max - 1).join('')}…`;
}
