import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { DynamoStore } from '../adapters/dynamodb/dynamo-store.ts';
import { HttpFeedFetcher } from '../adapters/http/http-feed-fetcher.ts';
import { HttpHubClient } from '../adapters/http/http-hub-client.ts';
import type { FeedReport } from '../app/cycle-report.ts';
import { LiveConfigCache } from '../app/live-config.ts';
import { pollOneFeed, type WorkerDeps } from '../app/poll-one-feed.ts';
import { compileConfigTopics } from '../core/config/compile-config.ts';
import { systemClock } from '../core/ports/clock.ts';
import { cycleLog, deployedConfig, once } from './commons/deployed.ts';
import { ALARMED_METRIC, FULL_METRIC, SERVICE, type MetricsLevel } from './commons/metric-names.ts';
import { parseEvent } from './commons/parse-event.ts';
import { instrument, powertools, type LambdaContext } from './commons/powertools.ts';
import { ENV, optionalEnv, requireEnv } from './env.ts';

// SQS (event source mapping, ReportBatchItemFailures) → this handler: poll the feed of each job in
// the batch (lambda/app/poll-one-feed.ts), in parallel. A feed that fails (timeout, HTTP error, not
// a feed) is a result, recorded in its state and retried on its own schedule: its message is done.
// A store error, or a body that is not a feed job, fails that message alone (Powertools batch): SQS
// delivers it again after the visibility timeout and, after maxReceiveCount receives, parks it in
// the dead-letter queue, whose depth alarm fires (docs/deploy.md, "How it behaves"). A redelivered
// or duplicated job does no harm: every write is conditional and a job for a feed polled since is
// skipped.

/** The parts of an SQS event this handler reads; the rest is Powertools batch's. */
const sqsEventSchema = z.looseObject({
  Records: z.array(z.looseObject({ messageId: z.string().min(1), body: z.string(), eventSource: z.literal('aws:sqs') })).min(1),
});

/** A message body, as the dispatcher's queue writes it (lambda/adapters/queue/sqs-feed-queue.ts). */
const feedJobSchema = z.object({ feedUrl: z.string().min(1), dueAt: z.string().min(1) });

export interface WorkerHandlerDeps {
  /** Built lazily, once per execution environment: one live-config cache for every batch. */
  workerDeps: () => Promise<WorkerDeps>;
  logger: Logger;
  /** Where the batch's metrics go; the caller flushes them (instrument() in Lambda). */
  metrics?: Metrics;
  /** @default 'alarms' */
  metricsLevel?: MetricsLevel;
}

/** What the invocation returns to Lambda: the messages to deliver again. */
export interface BatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

/** The handler over injected dependencies (tests build it on a local store and feed server). */
export function createWorkerHandler(deps: WorkerHandlerDeps): (event: unknown, context?: LambdaContext) => Promise<BatchResponse> {
  return async (event, context) => {
    const input = parseEvent(sqsEventSchema, event, 'an SQS event');
    const workerDeps = await deps.workerDeps();
    // One read of the change counter (and, when it moved, of the lists) before the parallel polls.
    await workerDeps.live.current(workerDeps.clock.now());
    const polled: FeedReport[] = [];
    const skipped: string[] = [];
    const processor = new BatchProcessor(EventType.SQS);
    const response = (await processPartialResponse(
      input,
      async (record: { body: string }) => {
        const job = parseEvent(feedJobSchema, parseJson(record.body), 'a feed job');
        const outcome = await pollOneFeed(workerDeps, job);
        if ('polled' in outcome) polled.push(outcome.polled);
        else skipped.push(outcome.skipped);
      },
      processor,
      // Powertools reads the Lambda context only for its own timeout handling; none is needed here.
      { context: context as never },
    )) as BatchResponse;
    const failed = polled.filter((report) => report.error);
    // The counts are fields of this line whatever the metrics level: Logs Insights sums them.
    deps.logger.info('batch report', {
      messages: input.Records.length,
      polled: polled.length,
      skipped: skipped.length,
      messageFailures: response.batchItemFailures.length,
      feedsFailed: failed.length,
      items: sum(polled, 'items'),
      new: sum(polled, 'new'),
      hits: sum(polled, 'hits'),
      failedFeeds: failed.map((report) => ({ url: report.url, status: report.status, error: report.error ?? '' })),
    });
    if (deps.metrics) addBatchMetrics(deps.metrics, polled, deps.metricsLevel ?? 'alarms');
    return response;
  };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

const sum = (reports: readonly FeedReport[], field: 'items' | 'new' | 'hits') => reports.reduce((total, r) => total + r[field], 0);

/**
 * One FeedFailurePercent value per polled feed (100 failed, 0 not): the alarm's Average is the
 * share of failed polls and its SampleCount the number of polls, whatever the batch sizes. With
 * `full`, the batch's counts too.
 */
function addBatchMetrics(metrics: Metrics, polled: readonly FeedReport[], level: MetricsLevel): void {
  for (const report of polled) metrics.addMetric(ALARMED_METRIC.feedFailurePercent, MetricUnit.Percent, report.error ? 100 : 0);
  if (level !== 'full' || polled.length === 0) return;
  metrics.addMetric(FULL_METRIC.feedsPolled, MetricUnit.Count, polled.length);
  metrics.addMetric(FULL_METRIC.feedsFailed, MetricUnit.Count, polled.filter((r) => r.error).length);
  metrics.addMetric(FULL_METRIC.itemsSeen, MetricUnit.Count, sum(polled, 'items'));
  metrics.addMetric(FULL_METRIC.newItems, MetricUnit.Count, sum(polled, 'new'));
  metrics.addMetric(FULL_METRIC.hits, MetricUnit.Count, sum(polled, 'hits'));
}

// Module scope: the tools and one client per execution environment, traced in Lambda.
const tools = powertools(SERVICE.worker);
const dynamodb = tools.tracer.captureAWSv3Client(new DynamoDBClient({}));

const deployedWorkerDeps = once(async (): Promise<WorkerDeps> => {
  const { config, path } = deployedConfig();
  // A topic's bad query fails the cold start (a config error); the live matcher adds the alerts.
  compileConfigTopics(config, path);
  const store = new DynamoStore({ client: dynamodb, tableName: requireEnv(ENV.table) });
  const log = cycleLog(tools.logger);
  // The stack always names the callback base (websub.callbackUrl, else the HTTP API's /websub);
  // without it the worker polls and subscribes to no hub.
  const callbackBase = optionalEnv(ENV.websubCallbackUrl)?.replace(/\/+$/, '');
  return {
    store,
    fetcher: new HttpFeedFetcher(),
    config,
    live: new LiveConfigCache(store, config, { log }),
    clock: systemClock,
    log,
    ...(callbackBase
      ? {
          push: {
            store,
            hub: new HttpHubClient(),
            callbackBase,
            request: { timeoutMs: config.fetch.timeoutSeconds * 1000, allowPrivateNetworks: config.fetch.allowPrivateNetworks },
            clock: systemClock,
            log,
          },
        }
      : {}),
  };
});

/** The Lambda entry point the stack names (lib/newshound-stack.ts); the runtime imports it. */
export const handler = instrument(
  tools,
  createWorkerHandler({ workerDeps: deployedWorkerDeps, logger: tools.logger, metrics: tools.metrics, metricsLevel: tools.metricsLevel }),
);
