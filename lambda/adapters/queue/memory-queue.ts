import type { FeedJob, FeedQueue } from '../../core/ports/feed-queue.ts';

/** A received job: settle it with ack (done) or let its visibility run out (redelivered). */
export interface Delivery {
  id: string;
  job: FeedJob;
  /** How many times it was received, this time included. */
  receiveCount: number;
}

export interface MemoryQueueOptions {
  /** How long a received job stays hidden before it is delivered again (SQS: the visibility timeout). */
  visibilityMs: number;
  /** Receives after which a job goes to the dead letters instead (SQS: maxReceiveCount). */
  maxReceiveCount: number;
  /** Default: Date.now. */
  now?: () => number;
}

/**
 * The queue of `newshound up`, with SQS's semantics where they matter for correctness: at-least-once
 * delivery, a visibility timeout after which an unacknowledged job (its worker died or failed) is
 * delivered again, a receive limit after which it goes to the dead letters, and duplicates allowed.
 */
export class MemoryQueue implements FeedQueue {
  private readonly waiting: Array<{ id: string; job: FeedJob; receiveCount: number; visibleAt: number }> = [];
  readonly deadLetters: FeedJob[] = [];
  private sequence = 0;
  private readonly now: () => number;

  constructor(private readonly options: MemoryQueueOptions) {
    this.now = options.now ?? Date.now;
  }

  async enqueue(jobs: readonly FeedJob[]): Promise<void> {
    for (const job of jobs) {
      this.sequence += 1;
      this.waiting.push({ id: String(this.sequence), job, receiveCount: 0, visibleAt: 0 });
    }
  }

  /** Up to `max` visible jobs, hidden for the visibility timeout; over the receive limit: dead letters. */
  receive(max: number): Delivery[] {
    const now = this.now();
    const received: Delivery[] = [];
    for (const message of [...this.waiting]) {
      if (received.length >= max) break;
      if (message.visibleAt > now) continue;
      if (message.receiveCount >= this.options.maxReceiveCount) {
        this.waiting.splice(this.waiting.indexOf(message), 1);
        this.deadLetters.push(message.job);
        continue;
      }
      message.receiveCount += 1;
      message.visibleAt = now + this.options.visibilityMs;
      received.push({ id: message.id, job: message.job, receiveCount: message.receiveCount });
    }
    return received;
  }

  /** The job is done: it is never delivered again. */
  ack(id: string): void {
    const index = this.waiting.findIndex((message) => message.id === id);
    if (index !== -1) this.waiting.splice(index, 1);
  }

  /** Jobs not yet acknowledged (visible or in flight). */
  get depth(): number {
    return this.waiting.length;
  }
}
