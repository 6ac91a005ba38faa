/**
 * A query that does not parse (docs/behaviour.md, Query language). `position` is a 0-based index into the query as
 * written; `topicId` is set when the query came from a configured topic, so the config error can
 * name it.
 */
export class QueryError extends Error {
  override readonly name = 'QueryError';
  readonly position: number;
  readonly reason: string;
  readonly topicId?: string;

  constructor(position: number, reason: string, topicId?: string) {
    super(`${topicId === undefined ? '' : `topic ${topicId}: `}at ${position}: ${reason}`);
    this.position = position;
    this.reason = reason;
    if (topicId !== undefined) this.topicId = topicId;
  }

  /** The same error, attributed to a topic. */
  forTopic(topicId: string): QueryError {
    return new QueryError(this.position, this.reason, topicId);
  }
}
