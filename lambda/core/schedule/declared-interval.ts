// How often a feed says it changes, from its own channel elements (docs/scheduling.md). A value no
// feed could mean (not a number, zero or less, more than a year) is dropped rather than guessed at.

const YEAR_MINUTES = 365 * 24 * 60;

/** Minutes per sy:updatePeriod (RSS 1.0 Syndication module); a month is 30 days, a year 365. */
const PERIOD_MINUTES = new Map<string, number>([
  ['hourly', 60],
  ['daily', 24 * 60],
  ['weekly', 7 * 24 * 60],
  ['monthly', 30 * 24 * 60],
  ['yearly', YEAR_MINUTES],
]);

/** RSS 2.0 `<ttl>`: minutes the channel may be cached before it is fetched again. */
export function ttlMinutes(text: string | undefined): number | undefined {
  return sane(number(text));
}

/**
 * Minutes between updates from sy:updatePeriod and sy:updateFrequency (updates per period). The
 * module's defaults apply to a missing half: period `daily`, frequency 1. Neither given: none.
 */
export function updateEveryMinutes(period: string | undefined, frequency: string | undefined): number | undefined {
  if (period === undefined && frequency === undefined) return undefined;
  const periodMinutes = PERIOD_MINUTES.get((period ?? 'daily').trim().toLowerCase());
  const perPeriod = frequency === undefined ? 1 : number(frequency);
  if (periodMinutes === undefined || perPeriod === undefined || !(perPeriod > 0)) return undefined;
  return sane(periodMinutes / perPeriod);
}

function number(text: string | undefined): number | undefined {
  const trimmed = text?.trim();
  return trimmed ? Number(trimmed) : undefined;
}

function sane(minutes: number | undefined): number | undefined {
  return minutes !== undefined && Number.isFinite(minutes) && minutes > 0 && minutes <= YEAR_MINUTES ? minutes : undefined;
}
