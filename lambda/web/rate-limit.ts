import type { AbuseGuard } from '../core/ports/abuse-guard.ts';
import { defaultWebLimits, type WebLimits } from './web-deps.ts';

const WINDOW_SECONDS = 3600;

interface RateRequest {
  /** The subscriber the request is about (the address's id for subscribe requests). */
  subscriberId: string;
  sourceIp: string;
  now: Date;
}

// Fixed one-hour windows counted in the store (atomic ADD), so every Lambda instance and every
// `serve` process shares them. The per-IP counter is checked first: a flood from one client does
// not also burn the quota of the subscribers it names.
async function allowWithin(store: AbuseGuard, request: RateRequest, kind: string, perIp: number, perSubscriber: number): Promise<boolean> {
  const windowStart = Math.floor(request.now.getTime() / 1000 / WINDOW_SECONDS) * WINDOW_SECONDS;
  const byIp = await store.incrementCounter(`${kind}-ip#${request.sourceIp}`, windowStart, WINDOW_SECONDS * 2);
  if (byIp > perIp) return false;
  const bySubscriber = await store.incrementCounter(`${kind}-${kind === 'subscribe' ? 'address' : 'subscriber'}#${request.subscriberId}`, windowStart, WINDOW_SECONDS * 2);
  return bySubscriber <= perSubscriber;
}

/** Subscribe and manage-link requests: each may send an email. */
export function allowSubscribeRequest(store: AbuseGuard, request: RateRequest, limits: Partial<WebLimits> = {}): Promise<boolean> {
  const { perIpPerHour, perAddressPerHour } = { ...defaultWebLimits, ...limits };
  return allowWithin(store, request, 'subscribe', perIpPerHour, perAddressPerHour);
}

/** A saved change on the manage page (an alert added, edited, paused, resumed or deleted; the settings). */
export function allowSave(store: AbuseGuard, request: RateRequest, limits: Partial<WebLimits> = {}): Promise<boolean> {
  const { savesPerIpPerHour, savesPerSubscriberPerHour } = { ...defaultWebLimits, ...limits };
  return allowWithin(store, request, 'save', savesPerIpPerHour, savesPerSubscriberPerHour);
}

/** An alert preview: a scan of the week's stories. */
export function allowPreview(store: AbuseGuard, request: RateRequest, limits: Partial<WebLimits> = {}): Promise<boolean> {
  const { previewsPerIpPerHour, previewsPerSubscriberPerHour } = { ...defaultWebLimits, ...limits };
  return allowWithin(store, request, 'preview', previewsPerIpPerHour, previewsPerSubscriberPerHour);
}
