import type { Config } from '../lambda/core/config/schema.ts';

/** Time left for the store writes and the digest step after the last feed batch. */
const DIGEST_MARGIN_SECONDS = 60;
const LAMBDA_MAX_TIMEOUT_SECONDS = 900;

/**
 * The poll function's timeout. Feeds are fetched `fetch.concurrency` at a time, each bounded by the
 * whole-request deadline `fetch.timeoutSeconds`, so the worst case is
 *
 *   ceil(feeds / concurrency) × timeoutSeconds + DIGEST_MARGIN_SECONDS
 *
 * capped at Lambda's 900 s ceiling. (50 feeds, 8 at a time, 10 s: 7 × 10 + 60 = 130 s.)
 */
export function pollTimeoutSeconds(config: Config): number {
  const batches = Math.ceil(config.feeds.length / config.fetch.concurrency);
  const worst = batches * config.fetch.timeoutSeconds + DIGEST_MARGIN_SECONDS;
  return Math.min(LAMBDA_MAX_TIMEOUT_SECONDS, Math.ceil(worst));
}

/**
 * How long a scheduled event may wait (throttled behind a running cycle) before it is dropped: one
 * poll interval. Older than that, the next scheduled cycle is already due and does the same work.
 * Lambda allows 60 s to 6 h; EventBridge Scheduler 60 s to 24 h.
 */
export function pollEventMaxAgeSeconds(config: Config): number {
  return Math.min(6 * 3600, Math.max(60, config.schedule.pollMinutes * 60));
}
