import type { FeedState } from '../domain/feed-state.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A feed failing this long without a success is flagged `failing`. */
const FAILING_AFTER_MS = 24 * HOUR_MS;
/** Silence shorter than this is never flagged, however regular the feed usually is. */
const MIN_SILENCE_MS = 3 * DAY_MS;
/** Silence is flagged past this many times the feed's median gap between items. */
const SILENCE_FACTOR = 5;
/** Items per day are counted over at most this window. */
const RATE_WINDOW_MS = 7 * DAY_MS;

export type HealthFlag = 'failing' | 'silent';

export interface FeedHealth {
  /** New items per day over the last 7 days (or the history there is, at least one day). */
  itemsPerDay: number;
  /** Median gap between consecutive new items, when at least two are known. */
  medianGapMs?: number;
  /** The newest item time known. */
  lastItemAt?: string;
  flags: HealthFlag[];
  /** One human line per flag, e.g. `failing for 2 days (http-status: 500)`. */
  reasons: string[];
}

/**
 * Health of a feed from its stored state alone (no request).
 * - `failing`: failing without a success for >= 24 hours (`failingSince`).
 * - `silent`: no new item for longer than max(3 days, 5 × the median gap between its items), so
 *   a feed posting hourly is flagged after 3 days and a weekly one only after 5 weeks.
 * A feed with no item history yet is never `silent`: there is nothing to compare against.
 */
export function feedHealth(state: FeedState, now: Date): FeedHealth {
  const times = state.newItemTimes
    .map((t) => Date.parse(t))
    .filter((t) => !Number.isNaN(t) && t <= now.getTime())
    .sort((a, b) => a - b);
  const flags: HealthFlag[] = [];
  const reasons: string[] = [];

  if (state.consecutiveFailures > 0 && state.failingSince) {
    const failingFor = now.getTime() - Date.parse(state.failingSince);
    if (failingFor >= FAILING_AFTER_MS) {
      flags.push('failing');
      reasons.push(`failing for ${formatDuration(failingFor)} (${state.lastError ?? state.lastStatus ?? 'error'})`);
    }
  }

  const medianGapMs = medianGap(times);
  const last = times[times.length - 1];
  if (last !== undefined) {
    const quietFor = now.getTime() - last;
    const threshold = Math.max(MIN_SILENCE_MS, SILENCE_FACTOR * (medianGapMs ?? 0));
    if (quietFor > threshold) {
      flags.push('silent');
      const usual = medianGapMs !== undefined ? `; usually every ${formatDuration(medianGapMs)}` : '';
      reasons.push(`no new item for ${formatDuration(quietFor)}${usual}`);
    }
  }

  return {
    itemsPerDay: itemsPerDay(times, now.getTime()),
    ...(medianGapMs !== undefined ? { medianGapMs } : {}),
    ...(last !== undefined ? { lastItemAt: new Date(last).toISOString() } : {}),
    flags,
    reasons,
  };
}

function itemsPerDay(sorted: readonly number[], now: number): number {
  const first = sorted[0];
  if (first === undefined) return 0;
  const window = Math.min(RATE_WINDOW_MS, Math.max(DAY_MS, now - first));
  const count = sorted.filter((t) => now - t <= window).length;
  return count / (window / DAY_MS);
}

function medianGap(sorted: readonly number[]): number | undefined {
  if (sorted.length < 2) return undefined;
  const gaps: number[] = [];
  for (let i = 1; i < sorted.length; i++) gaps.push(sorted[i]! - sorted[i - 1]!);
  gaps.sort((a, b) => a - b);
  const mid = Math.floor(gaps.length / 2);
  return gaps.length % 2 === 1 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
}

/** `3 days`, `5 hours`, `12 minutes`: the coarsest unit that reads as at least 1. */
export function formatDuration(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (ms >= 2 * DAY_MS) return plural(Math.floor(ms / DAY_MS), 'day');
  if (ms >= 2 * HOUR_MS) return plural(Math.floor(ms / HOUR_MS), 'hour');
  return plural(Math.max(0, Math.floor(ms / 60_000)), 'minute');
}
