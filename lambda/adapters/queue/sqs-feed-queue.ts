import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import type { FeedJob, FeedQueue } from '../../core/ports/feed-queue.ts';

/** SendMessageBatch takes at most 10 entries. */
const SQS_BATCH_MAX = 10;

export interface SqsFeedQueueOptions {
  client: SQSClient;
  queueUrl: string;
  /** Attempts per batch for entries SQS refuses one by one (the whole call is retried by the SDK). @default 3 */
  attempts?: number;
  /** Wait before retrying refused entries, times the attempt number. @default 100 ms */
  backoffMs?: number;
}

/** Thrown when some jobs could not be queued after every attempt: the dispatch fails and says which. */
export class FeedQueueError extends Error {
  override readonly name = 'FeedQueueError';
  constructor(
    readonly failed: Array<{ feedUrl: string; code: string; message: string }>,
    readonly queued: number,
  ) {
    const first = failed[0];
    super(`${failed.length} feed job(s) not queued (${queued} queued); first: ${first?.feedUrl} ${first?.code}: ${first?.message}`);
  }
}

/**
 * The feed queue on SQS (docs/deploy.md, "How it behaves"): jobs go out 10 per SendMessageBatch,
 * each a JSON body `{feedUrl, dueAt}` that the worker validates. SendMessageBatch can succeed as a
 * call and still refuse some entries (throttling, an internal error): those entries, and only
 * those, are sent again a few times; any still refused make enqueue throw, so the dispatcher's
 * invocation fails visibly. A job queued twice is harmless: the worker skips one that is not due.
 */
export class SqsFeedQueue implements FeedQueue {
  private readonly attempts: number;
  private readonly backoffMs: number;

  constructor(private readonly options: SqsFeedQueueOptions) {
    this.attempts = options.attempts ?? 3;
    this.backoffMs = options.backoffMs ?? 100;
  }

  async enqueue(jobs: readonly FeedJob[]): Promise<void> {
    const failed: FeedQueueError['failed'] = [];
    let queued = 0;
    for (let start = 0; start < jobs.length; start += SQS_BATCH_MAX) {
      const batch = jobs.slice(start, start + SQS_BATCH_MAX);
      const result = await this.sendBatch(batch);
      queued += result.queued;
      failed.push(...result.failed);
    }
    if (failed.length > 0) throw new FeedQueueError(failed, queued);
  }

  /** One batch of at most 10, its refused entries retried; what stayed refused after the last attempt. */
  private async sendBatch(batch: readonly FeedJob[]): Promise<{ queued: number; failed: FeedQueueError['failed'] }> {
    // Entry ids are positions in the batch: unique within a request, as SQS requires.
    let pending: SendMessageBatchRequestEntry[] = batch.map((job, i) => ({
      Id: String(i),
      MessageBody: JSON.stringify({ feedUrl: job.feedUrl, dueAt: job.dueAt }),
    }));
    let queued = 0;
    let refused: Array<{ Id?: string; Code?: string; Message?: string }> = [];
    for (let attempt = 1; attempt <= this.attempts && pending.length > 0; attempt += 1) {
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, this.backoffMs * (attempt - 1)));
      const output = await this.options.client.send(new SendMessageBatchCommand({ QueueUrl: this.options.queueUrl, Entries: pending }));
      queued += output.Successful?.length ?? 0;
      refused = output.Failed ?? [];
      const again = new Set(refused.map((f) => f.Id));
      pending = pending.filter((entry) => again.has(entry.Id));
    }
    return {
      queued,
      failed: refused.map((f) => ({
        feedUrl: batch[Number(f.Id)]?.feedUrl ?? `entry ${f.Id}`,
        code: f.Code ?? 'unknown',
        message: f.Message ?? '',
      })),
    };
  }
}
