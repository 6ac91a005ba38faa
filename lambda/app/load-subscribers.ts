import type { SubscriberConfig } from '../core/config/schema.ts';
import { effectiveSubscribers } from '../core/cycle/effective-subscribers.ts';
import type { Subscriber } from '../core/domain/subscriber.ts';
import type { SubscriberReader } from '../core/ports/subscriber-store.ts';
import type { SuppressionReader } from '../core/ports/suppression-store.ts';

/**
 * Every subscriber with its effective status (precedence: effective-subscribers.ts): the config
 * file merged with the stored profiles and suppressions. Two Queries, no write: the cycle never
 * writes subscriber profiles (only the subscription API does).
 */
export async function loadSubscribers(store: SubscriberReader & SuppressionReader, configured: readonly SubscriberConfig[], now: Date): Promise<Subscriber[]> {
  const [stored, suppressions] = await Promise.all([store.listSubscribers(), store.listSuppressions()]);
  return effectiveSubscribers({ configured, stored, suppressions, now });
}
