import type { Config } from '../core/config/schema.ts';
import { planSubscriberSync } from '../core/cycle/plan-subscriber-sync.ts';
import type { Store, Subscriber } from '../core/ports/store.ts';

/**
 * Brings the config file's subscribers into the store (precedence: see planSubscriberSync) and
 * returns every subscriber the cycle serves. One read; writes only for what changed.
 */
export async function syncConfigSubscribers(store: Store, config: Config, now: Date): Promise<Subscriber[]> {
  const stored = await store.listSubscribers();
  const plan = planSubscriberSync(config.subscribers, stored, now);
  for (const subscriber of plan.puts) await store.putSubscriber(subscriber);
  for (const id of plan.deletes) await store.deleteSubscriber(id);
  return plan.subscribers;
}
