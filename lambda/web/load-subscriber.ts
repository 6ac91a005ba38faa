import { effectiveSubscriber, isSuppressed } from '../core/cycle/effective-subscribers.ts';
import { subscriberId } from '../core/ids/subscriber-id.ts';
import type { Subscriber } from '../core/domain/subscriber.ts';
import type { WebDeps } from './web-deps.ts';

export interface LoadedSubscriber {
  /** The address as the cycle sees it (config file, stored profile, suppression), if anyone. */
  subscriber: Subscriber | undefined;
  /** The stored profile, if any (a config-file address may have none). */
  stored: Subscriber | undefined;
  /** Bounced or complained: never mailed again, and nothing here lifts it. */
  suppressed: boolean;
  /** The config file lists the address: the file owns its settings. */
  listed: boolean;
}

/**
 * One address with the cycle's precedence (effective-subscribers.ts). A config-file address needs
 * no stored record to be found: the pages work for it from the file alone.
 */
export async function loadSubscriber(deps: WebDeps, id: string): Promise<LoadedSubscriber> {
  const [stored, suppression] = await Promise.all([deps.store.getSubscriber(id), deps.store.getSuppression(id)]);
  const configured = deps.config.subscribers;
  const subscriber = effectiveSubscriber(id, { configured, stored, suppression, now: deps.clock.now() });
  return {
    subscriber,
    stored,
    suppressed: isSuppressed(subscriber, suppression),
    listed: configured.some((c) => subscriberId(c.email) === id),
  };
}
