import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { DynamoStore } from '../adapters/dynamodb/dynamo-store.ts';
import { HttpFeedFetcher } from '../adapters/http/http-feed-fetcher.ts';
import { SesMailer } from '../adapters/mail/ses-mailer.ts';
import { secretTokenKey } from '../adapters/secrets/secret-token-key.ts';
import type { CycleLog } from '../app/cycle-log.ts';
import type { CycleReport } from '../app/cycle-report.ts';
import { runCycle, type CycleDeps } from '../app/run-cycle.ts';
import { compileConfigTopics } from '../core/config/compile-config.ts';
import { loadConfigFile } from '../adapters/config/load-config.ts';
import { systemClock } from '../core/ports/clock.ts';
import { ALARMED_METRIC, FULL_METRIC, SERVICE, type MetricsLevel } from './commons/metric-names.ts';
import { parseEvent } from './commons/parse-event.ts';
import { instrument, powertools, type LambdaContext } from './commons/powertools.ts';
import { ENV, optionalEnv, requireEnv, taskPath } from './env.ts';

// EventBridge Scheduler → this handler: one cycle (lambda/app/run-cycle.ts). The clients, the
// config and the token key are made once per execution environment, on the first invocation.

/** The scheduler's input (lib/newshound-stack.ts); a manual test invocation may send `{}`. */
const scheduledEventSchema = z.looseObject({
  source: z.string().optional(),
  scheduledTime: z.string().optional(),
  executionId: z.string().optional(),
});

/** What the invocation returns (and what the logs show): counts and failures, no addresses. */
export interface PollSummary {
  skipped?: string;
  totals: CycleReport['totals'];
  emailsSent: number;
  sendFailures: number;
  failedFeeds: Array<{ url: string; error: string }>;
  flaggedFeeds: Array<{ url: string; flags: string[] }>;
}

export interface PollHandlerDeps {
  /** Built lazily, once: the cycle's ports. */
  cycleDeps: () => Promise<CycleDeps>;
  publicUrl?: string;
  logger?: Logger;
  /** Where the cycle's metrics go; the caller flushes them (instrument() in Lambda). */
  metrics?: Metrics;
  /** @default 'alarms' */
  metricsLevel?: MetricsLevel;
}

/** The handler over injected dependencies (tests build it on DynamoDB Local and the SES emulator). */
export function createPollHandler(deps: PollHandlerDeps): (event: unknown, context?: LambdaContext) => Promise<PollSummary> {
  const logger = deps.logger ?? new Logger({ serviceName: SERVICE.poll });
  const log: CycleLog = {
    info: (message, fields) => logger.info(message, fields ?? {}),
    warn: (message, fields) => logger.warn(message, fields ?? {}),
    error: (message, fields) => logger.error(message, fields ?? {}),
  };
  return async (event, context) => {
    const input = parseEvent(scheduledEventSchema, event ?? {}, 'a scheduler event');
    logger.appendKeys({ scheduledTime: input.scheduledTime, executionId: input.executionId });
    const cycleDeps = await deps.cycleDeps();
    // The lease outlives this invocation by a little, never by a whole cycle.
    const remaining = context?.getRemainingTimeInMillis?.() ?? 900_000;
    const report = await runCycle({ ...cycleDeps, log }, {
      lockSeconds: Math.ceil(remaining / 1000) + 30,
      ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}),
    });
    const summary = summarize(report);
    // The counts are fields of this line whatever the metrics level: Logs Insights sums them.
    logger.info('cycle report', { ...summary });
    if (deps.metrics) addCycleMetrics(deps.metrics, report, deps.metricsLevel ?? 'alarms');
    return summary;
  };
}

export function summarize(report: CycleReport): PollSummary {
  return {
    ...(report.skipped ? { skipped: report.skipped } : {}),
    totals: report.totals,
    emailsSent: report.emails.length,
    sendFailures: report.sendFailures.length,
    failedFeeds: report.feeds.filter((f) => f.error).map((f) => ({ url: f.url, error: f.error ?? '' })),
    flaggedFeeds: report.feeds.filter((f) => f.flags.length > 0).map((f) => ({ url: f.url, flags: f.flags })),
  };
}

/** The failing-feed share (the alarm reads it); with `full`, every count of the report too. */
function addCycleMetrics(metrics: Metrics, report: CycleReport, level: MetricsLevel): void {
  if (report.skipped || report.totals.feeds === 0) return;
  const { totals } = report;
  metrics.addMetric(ALARMED_METRIC.feedFailurePercent, MetricUnit.Percent, (100 * totals.failed) / totals.feeds);
  if (level !== 'full') return;
  metrics.addMetric(FULL_METRIC.feedsPolled, MetricUnit.Count, totals.feeds);
  metrics.addMetric(FULL_METRIC.feedsFailed, MetricUnit.Count, totals.failed);
  metrics.addMetric(FULL_METRIC.itemsSeen, MetricUnit.Count, totals.items);
  metrics.addMetric(FULL_METRIC.newItems, MetricUnit.Count, totals.new);
  metrics.addMetric(FULL_METRIC.hits, MetricUnit.Count, totals.hits);
  metrics.addMetric(FULL_METRIC.emailsSent, MetricUnit.Count, report.emails.length);
  metrics.addMetric(FULL_METRIC.sendFailures, MetricUnit.Count, report.sendFailures.length);
}

// Module scope: the tools and one of each client per execution environment, traced in Lambda.
const tools = powertools(SERVICE.poll);
const dynamodb = tools.tracer.captureAWSv3Client(new DynamoDBClient({}));
const ses = tools.tracer.captureAWSv3Client(new SESClient({}));
const secrets = tools.tracer.captureAWSv3Client(new SecretsManagerClient({}));
let cached: Promise<CycleDeps> | undefined;

function productionDeps(): Promise<CycleDeps> {
  cached ??= (async () => {
    const configPath = taskPath(requireEnv(ENV.configPath));
    const config = loadConfigFile(configPath);
    return {
      store: new DynamoStore({ client: dynamodb, tableName: requireEnv(ENV.table) }),
      fetcher: new HttpFeedFetcher(),
      mailer: new SesMailer({ client: ses, configurationSet: optionalEnv(ENV.sesConfigurationSet) }),
      clock: systemClock,
      config,
      matcher: compileConfigTopics(config, configPath),
      tokenKey: await secretTokenKey(requireEnv(ENV.secretArn), secrets),
    };
  })();
  // A failed cold start (a missing variable, Secrets Manager unreachable) is retried next invocation.
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}

export const handler = instrument(
  tools,
  createPollHandler({
    cycleDeps: productionDeps,
    publicUrl: optionalEnv(ENV.publicUrl),
    logger: tools.logger,
    metrics: tools.metrics,
    metricsLevel: tools.metricsLevel,
  }),
);
