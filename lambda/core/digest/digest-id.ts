import { createHash } from 'node:crypto';

/**
 * The digest's ledger id: sha256 over the subscriber, the schedule slot and the sorted, de-duplicated
 * story keys. A retried or overlapping cycle that would send the same stories in the same slot
 * computes the same id, so its conditional claim fails and nothing is sent twice.
 */
export function digestId(subscriberId: string, slot: string, storyKeys: readonly string[]): string {
  const keys = [...new Set(storyKeys)].sort();
  // NUL separators: no key, slot or id can contain one, so distinct inputs never hash alike.
  return createHash('sha256').update([subscriberId, slot, ...keys].join('\u0000')).digest('hex');
}
