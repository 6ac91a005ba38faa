import type { ItemKey } from './keys.ts';

// Records are stored as their own attributes next to the key attributes, so the table reads well in
// the console and a record round-trips without a schema. `type` tells item kinds apart in exports.

const KEY_ATTRIBUTES = new Set(['pk', 'sk', 'lsi1sk', 'duePk', 'dueSk', 'type']);

export type Item = Record<string, unknown>;

export function toItem(key: ItemKey, type: string, record: object, extra: Item = {}): Item {
  return { ...record, ...extra, pk: key.pk, sk: key.sk, type };
}

export function fromItem<T>(item: Item): T {
  const record: Item = {};
  for (const [name, value] of Object.entries(item)) {
    if (!KEY_ATTRIBUTES.has(name)) record[name] = value;
  }
  return record as T;
}

export const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

/** TTL deletes lazily (up to days later): an item past its expiresAt is treated as absent. */
export function isLive(item: Item | undefined, nowSeconds: number): item is Item {
  if (item === undefined) return false;
  const expiresAt = item.expiresAt;
  return typeof expiresAt !== 'number' || expiresAt >= nowSeconds;
}
