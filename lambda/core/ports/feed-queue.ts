/** One feed to poll: what the dispatcher hands to the queue and a worker receives. */
export interface FeedJob {
  feedUrl: string;
  /** When it fell due (ISO): a job for a feed polled since is stale and skipped. */
  dueAt: string;
}

/** Where the dispatcher puts due feeds: SQS when deployed, an in-memory queue in `newshound up`. */
export interface FeedQueue {
  enqueue(jobs: readonly FeedJob[]): Promise<void>;
}
