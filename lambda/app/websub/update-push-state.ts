import type { PushState } from '../../core/domain/push-state.ts';
import type { PushStore } from '../../core/ports/push-store.ts';

/** Tries at a read-modify-write before giving up: the poll side and the callback may write at once. */
const ATTEMPTS = 3;

/**
 * Reads a feed's push state, applies `change` and writes it over the version read, again from a
 * fresh read when another writer got there first. `change` returns the new state, `'delete'`, or
 * undefined to leave it as it is. The result: what was written (undefined when nothing was).
 */
export async function updatePushState(
  store: Pick<PushStore, 'getPushStates' | 'putPushState' | 'deletePushState'>,
  feedUrl: string,
  change: (current: PushState | undefined) => PushState | 'delete' | undefined,
): Promise<PushState | 'delete' | undefined> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    const current = (await store.getPushStates([feedUrl])).get(feedUrl);
    const next = change(current);
    if (next === undefined) return undefined;
    if (next === 'delete') {
      if (!current || (await store.deletePushState(current))) return 'delete';
      continue;
    }
    const written = { ...next, ...(current?.version !== undefined ? { version: current.version } : {}) };
    if (current === undefined) delete written.version;
    if (await store.putPushState(written)) return next;
  }
  throw new Error(`the push state of ${feedUrl} kept changing; not written`);
}
