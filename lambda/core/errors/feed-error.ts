/** Why one feed failed this cycle; shown in the run summary and kept in the feed's state. */
export type FeedErrorKind =
  | 'timeout'
  | 'http-status'
  | 'too-large'
  | 'not-a-feed'
  | 'unsafe-xml'
  /** Over the parse budget (nesting depth, element count or parse time): see docs/feeds.md. */
  | 'too-complex'
  | 'blocked-address'
  | 'too-many-redirects'
  | 'network';

export class FeedError extends Error {
  override readonly name = 'FeedError';
  constructor(
    readonly kind: FeedErrorKind,
    message: string,
    /** HTTP status for `http-status`. */
    readonly status?: number,
    /** The server's Retry-After on a 429 or 503, in seconds: the scheduler waits at least this long (docs/scheduling.md). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** One line for the summary, e.g. `http-status: 500 Internal Server Error`. */
  toSummary(): string {
    return `${this.kind}: ${this.message}`;
  }
}
