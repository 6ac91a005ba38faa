import type { Subscriber } from '../core/domain/subscriber.ts';
import type { SubscriberStore } from '../core/ports/subscriber-store.ts';
import { LIVE_CONFIG_VERSION, type VersionStore } from '../core/ports/version-store.ts';

// Every change to who receives digests also moves the live-config counter, so workers that cache the
// subscribers (lambda/app/live-config.ts) read them again at their next batch.

type Store = Pick<SubscriberStore, 'putSubscriber' | 'deleteSubscriber'> & Pick<VersionStore, 'bumpVersion'>;

export async function saveSubscriber(store: Store, subscriber: Subscriber): Promise<void> {
  await store.putSubscriber(subscriber);
  await store.bumpVersion(LIVE_CONFIG_VERSION);
}

export async function deleteSubscriber(store: Store, id: string): Promise<void> {
  await store.deleteSubscriber(id);
  await store.bumpVersion(LIVE_CONFIG_VERSION);
}
