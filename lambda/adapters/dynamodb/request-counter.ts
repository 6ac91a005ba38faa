import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface RequestCounter {
  /** Requests sent so far, by DynamoDB operation name (`PutItem`, `BatchGetItem`, ...). */
  counts(): Record<string, number>;
  reset(): void;
}

/**
 * Counts the requests a client sends, by operation, for bench/cycle.ts. Counted at the build step,
 * where the serialised request carries its `X-Amz-Target` (`DynamoDB_20120810.PutItem`): that names
 * the real operation whether the call came through lib-dynamodb or the bare client. SDK retries of
 * one call count once; our own retries (UnprocessedKeys) count each time. Attaching again to the
 * same client replaces the earlier counter.
 */
export function attachRequestCounter(client: DynamoDBClient): RequestCounter {
  let counts: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const headers = (args.request as { headers?: Record<string, string> } | undefined)?.headers ?? {};
      const target = headers['x-amz-target'] ?? headers['X-Amz-Target'];
      const operation = target?.split('.').pop() ?? String(context.commandName ?? 'unknown').replace(/Command$/, '');
      counts[operation] = (counts[operation] ?? 0) + 1;
      return next(args);
    },
    { step: 'build', name: 'newshoundRequestCounter', override: true },
  );
  return {
    counts: () => ({ ...counts }),
    reset: () => {
      counts = {};
    },
  };
}
