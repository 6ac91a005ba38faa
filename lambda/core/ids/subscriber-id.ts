import { createHash } from 'node:crypto';

/**
 * Stable subscriber id: the first 20 hex digits of sha256 over the trimmed, lower-cased address.
 * The address itself never appears in keys (keys end up in logs and metrics); 80 bits leaves
 * collisions out of reach for any realistic list.
 */
export function subscriberId(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase(), 'utf8').digest('hex').slice(0, 20);
}
