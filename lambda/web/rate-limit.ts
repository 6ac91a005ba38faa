import type { AbuseGuard } from '../core/ports/abuse-guard.ts';
import { defaultSubscribeLimits, type SubscribeLimits } from './web-deps.ts';

const WINDOW_SECONDS = 3600;

/**
 * Fixed one-hour windows counted in the store (atomic ADD), so every Lambda instance and every
 * `serve` process shares them. The per-IP counter is checked first: a flood from one client does
 * not also burn the quota of the addresses it names.
 */
export async function allowSubscribeRequest(
  store: AbuseGuard,
  request: { subscriberId: string; sourceIp: string; now: Date },
  limits: Partial<SubscribeLimits> = {},
): Promise<boolean> {
  const { perAddressPerHour, perIpPerHour } = { ...defaultSubscribeLimits, ...limits };
  const windowStart = Math.floor(request.now.getTime() / 1000 / WINDOW_SECONDS) * WINDOW_SECONDS;
  const byIp = await store.incrementCounter(`subscribe-ip#${request.sourceIp}`, windowStart, WINDOW_SECONDS * 2);
  if (byIp > perIpPerHour) return false;
  const byAddress = await store.incrementCounter(`subscribe-address#${request.subscriberId}`, windowStart, WINDOW_SECONDS * 2);
  return byAddress <= perAddressPerHour;
}
