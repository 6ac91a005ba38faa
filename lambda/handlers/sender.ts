import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoStore } from '../adapters/dynamodb/dynamo-store.ts';
import { SesMailer } from '../adapters/mail/ses-mailer.ts';
import { secretTokenKey } from '../adapters/secrets/secret-token-key.ts';
import { LiveConfigCache } from '../app/live-config.ts';
import { sendDue, type SenderDeps } from '../app/send-due.ts';
import { systemClock } from '../core/ports/clock.ts';
import { cycleLog, deployedConfig, leaseSeconds, once, scheduledEventSchema } from './commons/deployed.ts';
import { FULL_METRIC, SERVICE, type MetricsLevel } from './commons/metric-names.ts';
import { parseEvent } from './commons/parse-event.ts';
import { instrument, powertools, type LambdaContext } from './commons/powertools.ts';
import { ENV, optionalEnv, requireEnv } from './env.ts';

// EventBridge Scheduler (every minute, its own schedule) → this handler: send every digest that is
// due under the sender's lease (lambda/app/send-due.ts; docs/cycle.md, "Send once"), so an
// immediate subscriber's email leaves within about a minute of the hit, never waiting for a feed.

/** What the invocation returns (and the logs show): counts, no addresses. */
export interface SendSummary {
  skipped?: string;
  emailsSent: number;
  sendFailures: number;
  repairs: number;
  /** Subscribers whose hits wait for a later digest (hourly or daily not yet due). */
  held: number;
}

export interface SenderHandlerDeps {
  /** Built lazily, once per execution environment: one live-config cache for every run. */
  senderDeps: () => Promise<SenderDeps>;
  logger: Logger;
  /** Where the counts go with `full`; the caller flushes them (instrument() in Lambda). */
  metrics?: Metrics;
  /** @default 'alarms' */
  metricsLevel?: MetricsLevel;
}

/** The handler over injected dependencies (tests build it on a local store and the SES emulator). */
export function createSenderHandler(deps: SenderHandlerDeps): (event: unknown, context?: LambdaContext) => Promise<SendSummary> {
  return async (event, context) => {
    const input = parseEvent(scheduledEventSchema, event ?? {}, 'a scheduler event');
    deps.logger.appendKeys({ scheduledTime: input.scheduledTime, executionId: input.executionId });
    const result = await sendDue(await deps.senderDeps(), { lockSeconds: leaseSeconds(context) });
    const summary: SendSummary = {
      ...(result.skipped ? { skipped: result.skipped } : {}),
      emailsSent: result.emails.length,
      sendFailures: result.sendFailures.length,
      repairs: result.repairs.length,
      held: result.held,
    };
    // The counts are fields of this line whatever the metrics level: Logs Insights sums them.
    deps.logger.info('send report', { ...summary });
    if (deps.metrics && deps.metricsLevel === 'full' && !result.skipped) {
      deps.metrics.addMetric(FULL_METRIC.emailsSent, MetricUnit.Count, summary.emailsSent);
      deps.metrics.addMetric(FULL_METRIC.sendFailures, MetricUnit.Count, summary.sendFailures);
    }
    return summary;
  };
}

// Module scope: the tools and one client of each kind per execution environment, traced in Lambda.
const tools = powertools(SERVICE.sender);
const dynamodb = tools.tracer.captureAWSv3Client(new DynamoDBClient({}));
const ses = tools.tracer.captureAWSv3Client(new SESClient({}));
const secrets = tools.tracer.captureAWSv3Client(new SecretsManagerClient({}));

const deployedSenderDeps = once(async (): Promise<SenderDeps> => {
  const { config } = deployedConfig();
  const store = new DynamoStore({ client: dynamodb, tableName: requireEnv(ENV.table) });
  const publicUrl = optionalEnv(ENV.publicUrl);
  return {
    store,
    mailer: new SesMailer({ client: ses, configurationSet: optionalEnv(ENV.sesConfigurationSet) }),
    config,
    clock: systemClock,
    tokenKey: await secretTokenKey(requireEnv(ENV.secretArn), secrets),
    log: cycleLog(tools.logger),
    live: new LiveConfigCache(store, config),
    ...(publicUrl ? { publicUrl } : {}),
  };
});

/** The Lambda entry point the stack names (lib/newshound-stack.ts); the runtime imports it. */
export const handler = instrument(
  tools,
  createSenderHandler({ senderDeps: deployedSenderDeps, logger: tools.logger, metrics: tools.metrics, metricsLevel: tools.metricsLevel }),
);
