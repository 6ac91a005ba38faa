// A feed's own rhythm, read from the times its new items were first seen (docs/scheduling.md).

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** Only this much history counts: a feed that changed pace a season ago is judged by its pace now. */
const WINDOW_MS = 30 * DAY_MS;
/** Fewer gaps than this in the window are too few to call a median a rhythm. */
const MIN_GAPS = 3;
/**
 * A feed quiet for longer than max(3 days, 5 × its median gap) is "silent", as README's feed
 * health defines it: its old pace no longer says when the next item comes.
 */
const SILENT_AFTER_MS = 3 * DAY_MS;
const SILENT_FACTOR = 5;

export type Rhythm =
  /** Enough recent gaps: the median of them. */
  | { kind: 'regular'; medianGapMinutes: number }
  /** A regular feed that has gone quiet well past its usual gap. */
  | { kind: 'silent'; quietMinutes: number }
  /** History reaches back past the window, but fewer than MIN_GAPS gaps fall inside it. */
  | { kind: 'rare'; recentItems: number }
  /** Too little history to say anything yet. */
  | { kind: 'unknown' };

/** The rhythm of a feed from its new items' times (ISO); unreadable and future times are ignored. */
export function postingRhythm(newItemTimes: readonly string[], now: Date): Rhythm {
  const nowMs = now.getTime();
  const times = [...new Set(newItemTimes.map((t) => Date.parse(t)))]
    .filter((t) => Number.isFinite(t) && t <= nowMs)
    .sort((a, b) => a - b);
  const oldest = times[0];
  if (oldest === undefined) return { kind: 'unknown' };

  const recent = times.filter((t) => nowMs - t <= WINDOW_MS);
  if (recent.length - 1 < MIN_GAPS) {
    return nowMs - oldest > WINDOW_MS ? { kind: 'rare', recentItems: recent.length } : { kind: 'unknown' };
  }
  const gaps = recent.slice(1).map((t, i) => t - recent[i]!);
  const medianGapMs = median(gaps);
  const quietMs = nowMs - recent[recent.length - 1]!;
  if (quietMs > Math.max(SILENT_AFTER_MS, SILENT_FACTOR * medianGapMs)) {
    return { kind: 'silent', quietMinutes: quietMs / MINUTE_MS };
  }
  return { kind: 'regular', medianGapMinutes: medianGapMs / MINUTE_MS };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
