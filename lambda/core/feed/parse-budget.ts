import { FeedError } from '../errors/feed-error.ts';
import { FEED_PARSE_BUDGET_MS } from './entry-limits.ts';

/** Work longer than this without a pause would hold up every other feed of the cycle. */
const SLICE_MS = 20;

/**
 * The time one feed may spend being read (docs/feeds.md, "Limits"). Only the feed's own slices of
 * work count: between slices it yields to the event loop, so other feeds' requests keep moving
 * and their deadlines stay honest while a large feed is read.
 */
export class ParseBudget {
  private used = 0;
  private sliceStart: number;
  private yieldedAt: number;

  constructor(
    private readonly limitMs = FEED_PARSE_BUDGET_MS,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.sliceStart = now();
    this.yieldedAt = this.sliceStart;
  }

  /** Throws FeedError `too-complex` once the feed has used up its time. */
  check(): void {
    const t = this.now();
    this.used += t - this.sliceStart;
    this.sliceStart = t;
    if (this.used > this.limitMs) {
      throw new FeedError('too-complex', `reading the feed took more than ${this.limitMs} ms`);
    }
  }

  /** Checks the budget and, when the current slice has run long, lets the event loop run. */
  async step(): Promise<void> {
    this.check();
    if (this.sliceStart - this.yieldedAt < SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    // The time other work ran meanwhile is not this feed's.
    this.sliceStart = this.now();
    this.yieldedAt = this.sliceStart;
  }
}
