import type { Config } from '../lambda/core/config/schema.ts';

// Sizes of the per-feed path (docs/deploy.md, "How it behaves"). None of them depends on the number
// of feeds: a deployment of 10,000 feeds synthesizes the same functions, queues and timeouts as one
// of 10, and only the data in the table grows.

/** Time left for the store writes of the last feed and the batch's bookkeeping. */
const WORKER_MARGIN_SECONDS = 60;
const LAMBDA_MAX_TIMEOUT_SECONDS = 900;

/** SQS's advice for a queue a Lambda function consumes: a visibility timeout of 6 × its timeout. */
export const VISIBILITY_PER_WORKER_TIMEOUT = 6;

/** Messages one worker invocation takes, and how many invocations read the queue at once. */
export const WORKER_DEFAULTS = { batchSize: 10, maxConcurrency: 20 } as const;
/** Above 10 SQS needs a batching window (messages wait for it); 2 is the least maxConcurrency allowed. */
export const WORKER_LIMITS = { batchSize: { min: 1, max: 10 }, maxConcurrency: { min: 2, max: 1000 } } as const;

/**
 * The worker's timeout: one batch of feeds, not all of them. Each feed is bounded by the
 * whole-request deadline `fetch.timeoutSeconds`; the worker polls a batch's feeds in parallel, but
 * the timeout allows for them one after the other, so a batch of slow feeds and their store writes
 * always fit:
 *
 *   batchSize × timeoutSeconds + WORKER_MARGIN_SECONDS, at most 900 s
 *
 * (10 jobs, 10 s: 10 × 10 + 60 = 160 s.)
 */
export function workerTimeoutSeconds(config: Config, batchSize: number): number {
  const worst = batchSize * config.fetch.timeoutSeconds + WORKER_MARGIN_SECONDS;
  return Math.min(LAMBDA_MAX_TIMEOUT_SECONDS, Math.ceil(worst));
}
