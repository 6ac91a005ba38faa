import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { DynamoStore } from '../adapters/dynamodb/dynamo-store.ts';
import { subscriberId } from '../core/ids/subscriber-id.ts';
import type { SuppressionStore } from '../core/ports/suppression-store.ts';
import { LIVE_CONFIG_VERSION, type VersionStore } from '../core/ports/version-store.ts';
import { parseSesNotification, suppressionsFrom, type SuppressedRecipient } from '../core/suppression/ses-notification.ts';
import { FULL_METRIC, SERVICE, type MetricsLevel } from './commons/metric-names.ts';
import { parseEvent } from './commons/parse-event.ts';
import { instrument, powertools, type LambdaContext } from './commons/powertools.ts';
import { ENV, requireEnv } from './env.ts';

// SNS → this handler: SES bounce and complaint events from the configuration set. Each Permanent
// bounce and each complaint records a suppression (its own item, pk SUPPRESSIONS): the cycle never
// mails a suppressed address, whether it came from the API or from the config file, and the
// subscription API never lifts one. It writes nothing else but the live-config change counter, once
// per batch that names an address to suppress, so the worker and sender caches drop the address now
// rather than at their next refresh; only the API function writes subscriber profiles (IAM: GetItem/PutItem
// on SUPPRESSIONS, UpdateItem on VERSION#live-config). A malformed notification throws: Lambda
// retries it, then parks it in the on-failure queue (whose depth alarm fires).

const snsEventSchema = z.object({
  Records: z
    .array(z.object({ Sns: z.object({ MessageId: z.string().optional(), Message: z.string() }) }))
    .min(1),
});

export interface SesEventsDeps {
  store: SuppressionStore & Pick<VersionStore, 'bumpVersion'>;
  now?: () => Date;
  logger?: Logger;
  /** Where the count goes with `full`; the caller flushes it (instrument() in Lambda). */
  metrics?: Metrics;
  /** @default 'alarms' */
  metricsLevel?: MetricsLevel;
}

export interface SesEventsResult {
  /** Addresses newly marked suppressed by this event. */
  suppressed: number;
}

/** Builds the handler over injected dependencies (tests pass a store on a local engine). */
export function createSesEventsHandler(deps: SesEventsDeps): (event: unknown) => Promise<SesEventsResult> {
  const now = deps.now ?? (() => new Date());
  const logger = deps.logger ?? new Logger({ serviceName: SERVICE.sesEvents });

  return async (event) => {
    const { Records } = parseEvent(snsEventSchema, event, 'an SNS event');
    let suppressed = 0;
    let named = 0;
    for (const record of Records) {
      const notification = parseSesNotification(record.Sns.Message);
      for (const suppression of suppressionsFrom(notification)) {
        named += 1;
        if (await suppress(deps.store, suppression, now())) {
          suppressed += 1;
          // The subscriber id, never the address: logs are read by more people than the table.
          logger.info('subscriber suppressed', { subscriberId: subscriberId(suppression.email), reason: suppression.reason });
        }
      }
    }
    // After the suppressions, and for addresses already recorded too: a retry after a failed bump
    // bumps again (a redelivered notification costs the caches one extra read, nothing more).
    if (named > 0) await deps.store.bumpVersion(LIVE_CONFIG_VERSION);
    // The count is a field of this line whatever the metrics level: Logs Insights sums it.
    logger.info('notifications handled', { notifications: Records.length, suppressed });
    if (deps.metrics && deps.metricsLevel === 'full') deps.metrics.addMetric(FULL_METRIC.subscribersSuppressed, MetricUnit.Count, suppressed);
    return { suppressed };
  };
}

/** Records one suppression; false when the address was suppressed already (SNS may deliver twice). */
async function suppress(store: SuppressionStore, { email, reason }: SuppressedRecipient, at: Date): Promise<boolean> {
  const id = subscriberId(email);
  if (await store.getSuppression(id)) return false;
  await store.suppress({ subscriberId: id, email, reason, at: at.toISOString() });
  return true;
}

const tools = powertools(SERVICE.sesEvents);
let deployed: ((event: unknown) => Promise<SesEventsResult>) | undefined;

/** The Lambda entry point: dependencies built once per container, from the stack's environment. */
export const handler = instrument(tools, async (event: unknown, _context: LambdaContext): Promise<SesEventsResult> => {
  deployed ??= createSesEventsHandler({
    store: new DynamoStore({ client: tools.tracer.captureAWSv3Client(new DynamoDBClient({})), tableName: requireEnv(ENV.table) }),
    logger: tools.logger,
    metrics: tools.metrics,
    metricsLevel: tools.metricsLevel,
  });
  return deployed(event);
});
