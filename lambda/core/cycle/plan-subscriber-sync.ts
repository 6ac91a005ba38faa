import type { SubscriberConfig } from '../config/schema.ts';
import { subscriberId } from '../ids/subscriber-id.ts';
import type { Subscriber } from '../ports/store.ts';

export interface SubscriberSyncPlan {
  /** Subscribers to write (new, or changed in the file). */
  puts: Subscriber[];
  /** Ids of config subscribers no longer in the file. */
  deletes: string[];
  /** Every subscriber after the sync: what the cycle matches and mails. */
  subscribers: Subscriber[];
}

/**
 * Precedence between the config file and the store, per address:
 * - The file owns topics, frequency and timezone of the addresses it lists (even one that first
 *   subscribed through the API: it becomes a `config` subscriber).
 * - The store owns the status once the recipient (or SES) acted: an `unsubscribed` or `suppressed`
 *   address stays so even though the file lists it; any other status becomes `active`, since an
 *   operator listing an address is its confirmation.
 * - An address removed from the file is deleted when it is `active`; an unsubscribed or suppressed
 *   record is kept, so re-adding the address does not silently undo the recipient's choice.
 * - `api` subscribers not in the file are left alone.
 * Nothing is written for an address whose stored record already says the same.
 */
export function planSubscriberSync(
  configured: readonly SubscriberConfig[],
  stored: readonly Subscriber[],
  now: Date,
): SubscriberSyncPlan {
  const byId = new Map(stored.map((s) => [s.id, s]));
  const at = now.toISOString();
  const puts: Subscriber[] = [];
  const result = new Map<string, Subscriber>();

  for (const entry of configured) {
    const id = subscriberId(entry.email);
    if (result.has(id)) continue; // the same address twice: the first listing wins
    const current = byId.get(id);
    const keepStatus = current?.status === 'unsubscribed' || current?.status === 'suppressed';
    const desired: Subscriber = {
      id,
      email: entry.email.trim(),
      topics: [...entry.topics],
      frequency: entry.frequency,
      timezone: entry.timezone,
      status: keepStatus ? current.status : 'active',
      source: 'config',
      createdAt: current?.createdAt ?? at,
      updatedAt: at,
      ...(current?.suppressedReason && keepStatus ? { suppressedReason: current.suppressedReason } : {}),
    };
    if (!current || !sameSubscription(current, desired)) {
      puts.push(desired);
      result.set(id, desired);
    } else {
      result.set(id, current);
    }
  }

  const deletes: string[] = [];
  for (const s of stored) {
    if (result.has(s.id)) continue;
    if (s.source === 'config' && s.status !== 'unsubscribed' && s.status !== 'suppressed') {
      deletes.push(s.id);
      continue;
    }
    result.set(s.id, s);
  }
  return { puts, deletes, subscribers: [...result.values()] };
}

function sameSubscription(a: Subscriber, b: Subscriber): boolean {
  return (
    a.email === b.email &&
    a.source === b.source &&
    a.status === b.status &&
    a.frequency === b.frequency &&
    a.timezone === b.timezone &&
    a.topics.length === b.topics.length &&
    a.topics.every((t, i) => t === b.topics[i])
  );
}
