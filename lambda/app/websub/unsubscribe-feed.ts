import { ask, type PushDeps } from './maintain-push.ts';
import { updatePushState } from './update-push-state.ts';

/**
 * A removed feed's subscription (W3C WebSub §5.1, hub.mode=unsubscribe): the state waits as
 * `unsubscribing` for the hub's verification, which deletes it. When the hub cannot be asked (no
 * callback base, or it refuses) the state is deleted at once: the callback then answers 410 to the
 * hub's pushes, which ends the subscription at the hub (§7), and the lease runs out anyway.
 */
export async function unsubscribeFeed(deps: Pick<PushDeps, 'store' | 'hub' | 'request' | 'clock'> & { callbackBase: string | undefined }, feedUrl: string): Promise<string | undefined> {
  const push = (await deps.store.getPushStates([feedUrl])).get(feedUrl);
  if (!push) return undefined;
  const askable = deps.callbackBase !== undefined && (push.state === 'active' || push.state === 'pending');
  if (!askable || deps.callbackBase === undefined) {
    await updatePushState(deps.store, feedUrl, (s) => (s ? 'delete' : undefined));
    return 'push subscription dropped';
  }
  const now = deps.clock.now();
  const written = await updatePushState(deps.store, feedUrl, (s) => (s ? { ...s, state: 'unsubscribing', requestedAt: now.toISOString() } : undefined));
  if (written === undefined || written === 'delete') return undefined;
  const problem = await ask({ hub: deps.hub, callbackBase: deps.callbackBase, request: deps.request }, written, 'unsubscribe');
  if (problem === undefined) return `unsubscribe requested at ${push.hub}`;
  await updatePushState(deps.store, feedUrl, (s) => (s?.callbackId === written.callbackId ? 'delete' : undefined));
  return `push subscription dropped (the hub could not be asked: ${problem})`;
}
