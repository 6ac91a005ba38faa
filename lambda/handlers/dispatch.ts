import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '@aws-lambda-powertools/logger';
import { DynamoStore } from '../adapters/dynamodb/dynamo-store.ts';
import { SqsFeedQueue } from '../adapters/queue/sqs-feed-queue.ts';
import { Dispatcher, type DispatchResult } from '../app/dispatch-due.ts';
import { LiveConfigCache } from '../app/live-config.ts';
import { systemClock } from '../core/ports/clock.ts';
import { cycleLog, deployedConfig, once, scheduledEventSchema } from './commons/deployed.ts';
import { SERVICE } from './commons/metric-names.ts';
import { parseEvent } from './commons/parse-event.ts';
import { instrument, powertools } from './commons/powertools.ts';
import { ENV, requireEnv } from './env.ts';

// EventBridge Scheduler (every minute) → this handler: find the feeds that are due (the due index,
// a few Queries) and queue one job each on SQS (lambda/app/dispatch-due.ts). One Dispatcher per
// execution environment: it gives never-polled feeds a state on its first run and then hourly, and
// its live-config cache reads the subscriber and feed lists only when their change counter moved
// (docs/deploy.md, "How it behaves").

export interface DispatchHandlerDeps {
  /** Built lazily, once per execution environment. */
  dispatcher: () => Promise<Pick<Dispatcher, 'dispatch'>>;
  logger: Logger;
}

/** The handler over an injected dispatcher (tests build it on a local store and queue). */
export function createDispatchHandler(deps: DispatchHandlerDeps): (event: unknown) => Promise<DispatchResult> {
  return async (event) => {
    const input = parseEvent(scheduledEventSchema, event ?? {}, 'a scheduler event');
    deps.logger.appendKeys({ scheduledTime: input.scheduledTime, executionId: input.executionId });
    return (await deps.dispatcher()).dispatch();
  };
}

// Module scope: the tools and one client of each kind per execution environment, traced in Lambda.
const tools = powertools(SERVICE.dispatch);
const dynamodb = tools.tracer.captureAWSv3Client(new DynamoDBClient({}));
const sqs = tools.tracer.captureAWSv3Client(new SQSClient({}));

const deployedDispatcher = once(async () => {
  const { config } = deployedConfig();
  const store = new DynamoStore({ client: dynamodb, tableName: requireEnv(ENV.table) });
  return new Dispatcher({
    store,
    queue: new SqsFeedQueue({ client: sqs, queueUrl: requireEnv(ENV.feedQueueUrl) }),
    live: new LiveConfigCache(store, config),
    clock: systemClock,
    log: cycleLog(tools.logger),
  });
});

/** The Lambda entry point the stack names (lib/newshound-stack.ts); the runtime imports it. */
export const handler = instrument(tools, createDispatchHandler({ dispatcher: deployedDispatcher, logger: tools.logger }));
