import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { DynamoStore } from '../adapters/dynamodb/dynamo-store.ts';
import { subscriberId } from '../core/ids/subscriber-id.ts';
import { METRIC } from '../core/metric-names.ts';
import type { Store, Subscriber } from '../core/ports/store.ts';
import { parseSesNotification, suppressionsFrom, type Suppression } from '../core/suppression/ses-notification.ts';
import { ENV, requireEnv } from './env.ts';

// SNS → this handler: SES bounce and complaint events from the configuration set. Each Permanent
// bounce and each complaint marks the address `suppressed`; the cycle never mails a suppressed
// subscriber, whether it came from the API or from the config file. A malformed notification
// throws: Lambda retries it, then parks it in the on-failure queue (whose depth alarm fires).

const snsEventSchema = z.object({
  Records: z
    .array(z.object({ Sns: z.object({ MessageId: z.string().optional(), Message: z.string() }) }))
    .min(1),
});

export interface SesEventsDeps {
  store: Store;
  now?: () => Date;
  logger?: Logger;
  metrics?: Metrics;
}

export interface SesEventsResult {
  /** Addresses newly marked suppressed by this event. */
  suppressed: number;
}

/** Builds the handler over injected dependencies (tests pass a store on a local engine). */
export function createSesEventsHandler(deps: SesEventsDeps): (event: unknown) => Promise<SesEventsResult> {
  const now = deps.now ?? (() => new Date());
  const logger = deps.logger ?? new Logger();
  const metrics = deps.metrics;

  return async (event) => {
    const { Records } = snsEventSchema.parse(event);
    let suppressed = 0;
    for (const record of Records) {
      const notification = parseSesNotification(record.Sns.Message);
      for (const suppression of suppressionsFrom(notification)) {
        if (await suppress(deps.store, suppression, now())) {
          suppressed += 1;
          // The subscriber id, never the address: logs are read by more people than the table.
          logger.info('subscriber suppressed', { subscriberId: subscriberId(suppression.email), reason: suppression.reason });
        }
      }
    }
    if (metrics) {
      metrics.addMetric(METRIC.subscribersSuppressed, MetricUnit.Count, suppressed);
      metrics.publishStoredMetrics();
    }
    return { suppressed };
  };
}

/**
 * Marks one address suppressed; false when it already was (SNS may deliver twice). An address the
 * table does not know yet gets a suppressed record too, so a later sync or subscribe finds it.
 */
async function suppress(store: Store, { email, reason }: Suppression, at: Date): Promise<boolean> {
  const id = subscriberId(email);
  const existing = await store.getSubscriber(id);
  if (existing?.status === 'suppressed') return false;
  const stamp = at.toISOString();
  const subscriber: Subscriber = existing
    ? { ...existing, status: 'suppressed', suppressedReason: reason, updatedAt: stamp }
    : {
        id,
        email,
        topics: [],
        frequency: 'immediate',
        timezone: 'UTC',
        status: 'suppressed',
        source: 'api',
        createdAt: stamp,
        updatedAt: stamp,
        suppressedReason: reason,
      };
  await store.putSubscriber(subscriber);
  return true;
}

let deployed: ((event: unknown) => Promise<SesEventsResult>) | undefined;

/** The Lambda entry point: dependencies built once per container, from the stack's environment. */
export async function handler(event: unknown): Promise<SesEventsResult> {
  deployed ??= createSesEventsHandler({
    store: new DynamoStore({ client: new DynamoDBClient({}), tableName: requireEnv(ENV.table) }),
    metrics: new Metrics(),
  });
  return deployed(event);
}
