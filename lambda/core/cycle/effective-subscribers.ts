import type { SubscriberConfig } from '../config/schema.ts';
import { subscriberId } from '../ids/subscriber-id.ts';
import type { Subscriber } from '../domain/subscriber.ts';
import type { Suppression } from '../domain/suppression.ts';

// Who the cycle serves, computed in memory from the config file, the stored profiles and the
// suppressions; nothing is written. Precedence, per address:
// - The file owns topics, frequency and timezone of the addresses it lists (even one that first
//   subscribed through the API: it is a `config` subscriber while the file lists it).
// - A stored record owns the status once the recipient acted: `unsubscribed` (or an old
//   `suppressed` status) stays so although the file lists the address; any other stored status
//   means `active`, since an operator listing an address is its confirmation.
// - A suppression (bounce, complaint) beats everything: the address is `suppressed`.
// - A stored `config` record whose address left the file is nobody's subscription any more when it
//   was active or pending (it simply stops getting digests); an unsubscribed or suppressed one is
//   still shown, so re-adding the address does not undo the recipient's choice.
// - `api` subscribers not in the file are as stored.

export interface SubscriberSources {
  configured: readonly SubscriberConfig[];
  stored: readonly Subscriber[];
  suppressions: ReadonlyMap<string, Suppression>;
  /** Stamps createdAt/updatedAt of a file-listed address with no stored record. */
  now: Date;
}

/** Every subscriber with its effective status (the cycle mails only the `active` ones). */
export function effectiveSubscribers({ configured, stored, suppressions, now }: SubscriberSources): Subscriber[] {
  const storedById = new Map(stored.map((s) => [s.id, s]));
  const result = new Map<string, Subscriber>();
  for (const entry of configured) {
    const id = subscriberId(entry.email);
    if (result.has(id)) continue; // the same address twice: the first listing wins
    result.set(id, withSuppression(fromFile(entry, storedById.get(id), now), suppressions.get(id)));
  }
  for (const s of stored) {
    if (result.has(s.id)) continue;
    const kept = withoutFile(s);
    if (kept) result.set(s.id, withSuppression(kept, suppressions.get(s.id)));
  }
  return [...result.values()];
}

/** The same precedence for one address (the subscription pages, the operator commands). */
export function effectiveSubscriber(
  id: string,
  sources: { configured: readonly SubscriberConfig[]; stored: Subscriber | undefined; suppression: Suppression | undefined; now: Date },
): Subscriber | undefined {
  const entry = sources.configured.find((c) => subscriberId(c.email) === id);
  const base = entry ? fromFile(entry, sources.stored, sources.now) : sources.stored && withoutFile(sources.stored);
  return base && withSuppression(base, sources.suppression);
}

/** True when the address must never be mailed (suppression item, or an old `suppressed` status). */
export function isSuppressed(subscriber: Subscriber | undefined, suppression: Suppression | undefined): boolean {
  return suppression !== undefined || subscriber?.status === 'suppressed';
}

function fromFile(entry: SubscriberConfig, stored: Subscriber | undefined, now: Date): Subscriber {
  const at = now.toISOString();
  const kept = stored?.status === 'unsubscribed' || stored?.status === 'suppressed' ? stored.status : 'active';
  return {
    id: subscriberId(entry.email),
    email: entry.email.trim(),
    topics: [...entry.topics],
    frequency: entry.frequency,
    timezone: entry.timezone,
    // The recipient's own alerts are theirs, like the status: the file does not list alerts.
    ...(stored?.alerts ? { alerts: stored.alerts } : {}),
    status: kept,
    source: 'config',
    createdAt: stored?.createdAt ?? at,
    updatedAt: stored?.updatedAt ?? at,
    ...(kept === 'suppressed' && stored?.suppressedReason ? { suppressedReason: stored.suppressedReason } : {}),
  };
}

function withoutFile(stored: Subscriber): Subscriber | undefined {
  const lapsed = stored.source === 'config' && (stored.status === 'active' || stored.status === 'pending');
  return lapsed ? undefined : stored;
}

function withSuppression(subscriber: Subscriber, suppression: Suppression | undefined): Subscriber {
  if (!suppression) return subscriber;
  return { ...subscriber, status: 'suppressed', suppressedReason: suppression.reason };
}
