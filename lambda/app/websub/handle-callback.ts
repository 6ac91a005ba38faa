import type { PushState } from '../../core/domain/push-state.ts';
import type { AbuseGuard } from '../../core/ports/abuse-guard.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { PushStore } from '../../core/ports/push-store.ts';
import { checkHubSignature } from '../../core/websub/hub-signature.ts';
import type { CycleLog } from '../cycle-log.ts';
import { retryDelayMinutes } from './push-backoff.ts';
import { updatePushState } from './update-push-state.ts';

// The subscriber's callback (W3C WebSub §5.3 verification of intent, §7 content distribution;
// docs/feeds.md, "Push (WebSub)"): one function from request to response, so `newshound up`'s
// server and a Lambda behind the HTTP API can both serve it.

export interface CallbackRequest {
  method: string;
  /** The last path segment of the callback URL. */
  callbackId: string;
  query: URLSearchParams;
  /** Header names lower-cased. */
  headers: Record<string, string | undefined>;
  /** The exact bytes received (at most maxBodyBytes + 1: more means too large). */
  body: Buffer;
}

export interface CallbackResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What became of one callback request: for the log, and for counting in the Lambda's metrics. */
export type CallbackOutcome =
  | 'verified'
  | 'unsubscribed'
  | 'denied'
  | 'not our request'
  | 'absorbed'
  | 'bad signature'
  | 'rate limited'
  | 'too large'
  | 'gone'
  | 'method not allowed';

export interface CallbackDeps {
  store: Pick<PushStore, 'getPushStates' | 'putPushState' | 'deletePushState' | 'pushFeedFor'> & Pick<AbuseGuard, 'incrementCounter'>;
  clock: Clock;
  log: CycleLog;
  /** fetch.maxBytes: a larger body is refused unread. */
  maxBodyBytes: number;
  /** Signed distributions per feed per minute; beyond it they are acknowledged and left to the next poll. Default 30. */
  maxPushesPerMinute?: number;
  /**
   * Records a verified body through the poll path (absorbPush); `unknown feed` when the feed is no
   * longer polled.
   */
  absorb(feedUrl: string, body: Buffer, contentType: string | undefined): Promise<'absorbed' | 'unknown feed'>;
}

const DEFAULT_MAX_PUSHES_PER_MINUTE = 30;
/** Longest denial reason kept from a hub. */
const MAX_REASON_CHARS = 200;

export async function handleWebSubCallback(req: CallbackRequest, deps: CallbackDeps): Promise<{ response: CallbackResponse; outcome: CallbackOutcome }> {
  const method = req.method.toUpperCase();
  const result =
    method === 'GET' ? await verifyIntent(req, deps) : method === 'POST' ? await receive(req, deps) : { response: empty(405, { allow: 'GET, POST' }), outcome: 'method not allowed' as const };
  const log = result.outcome === 'absorbed' || result.outcome === 'verified' || result.outcome === 'unsubscribed' ? deps.log.info : deps.log.warn;
  log.call(deps.log, 'websub callback', { outcome: result.outcome, callback: req.callbackId });
  return result;
}

/** The subscription a callback id names, when the id is still the one the feed's subscription uses. */
async function subscriptionOf(id: string, deps: CallbackDeps): Promise<PushState | undefined> {
  const feedUrl = await deps.store.pushFeedFor(id);
  if (feedUrl === undefined) return undefined;
  const state = (await deps.store.getPushStates([feedUrl])).get(feedUrl);
  return state?.callbackId === id ? state : undefined;
}

/**
 * §5.3: echo hub.challenge only for a request we made: the id is known, and hub.topic and hub.mode
 * match the request that waits (a first subscription, a renewal, or an unsubscription); else 404.
 * §5.2: a denial for our topic records the subscription as failed.
 */
async function verifyIntent(req: CallbackRequest, deps: CallbackDeps): Promise<{ response: CallbackResponse; outcome: CallbackOutcome }> {
  const notOurs = { response: empty(404), outcome: 'not our request' as const };
  const mode = req.query.get('hub.mode');
  const topic = req.query.get('hub.topic');
  const challenge = req.query.get('hub.challenge') ?? '';
  const state = await subscriptionOf(req.callbackId, deps);
  if (!state || topic !== state.topic) return notOurs;
  const now = deps.clock.now();
  const sameRequest = (s: PushState | undefined): s is PushState => s?.callbackId === state.callbackId && s.topic === state.topic;

  if (mode === 'denied') {
    const reason = `denied by the hub${req.query.get('hub.reason') ? `: ${req.query.get('hub.reason')}` : ''}`.slice(0, MAX_REASON_CHARS);
    await updatePushState(deps.store, state.feedUrl, (s) => (sameRequest(s) ? failed(s, reason, now) : undefined));
    return { response: empty(200), outcome: 'denied' };
  }
  if (challenge === '') return notOurs;
  if (mode === 'subscribe' && (state.state === 'pending' || (state.state === 'active' && state.renewalRequestedAt))) {
    const lease = leaseSeconds(req.query.get('hub.lease_seconds')) ?? state.leaseSeconds;
    const written = await updatePushState(deps.store, state.feedUrl, (s) => {
      if (!sameRequest(s) || !(s.state === 'pending' || (s.state === 'active' && s.renewalRequestedAt))) return undefined;
      const { renewalRequestedAt: _r, reason: _why, failures: _f, retryAt: _at, ...rest } = s;
      return { ...rest, state: 'active', leaseSeconds: lease, leaseEndsAt: new Date(now.getTime() + lease * 1000).toISOString(), verifiedAt: now.toISOString() };
    });
    return written ? { response: challengeEcho(challenge), outcome: 'verified' } : notOurs;
  }
  if (mode === 'unsubscribe' && state.state === 'unsubscribing') {
    const written = await updatePushState(deps.store, state.feedUrl, (s) => (sameRequest(s) && s.state === 'unsubscribing' ? 'delete' : undefined));
    return written ? { response: challengeEcho(challenge), outcome: 'unsubscribed' } : notOurs;
  }
  return notOurs;
}

/**
 * §7: a distribution is acknowledged with a 2xx whatever its signature (a hub would only retry a
 * refusal), and only a valid signature over the exact bytes lets it in. Over the per-feed rate it is
 * acknowledged too and left to the next poll, which fetches the same entries anyway.
 */
async function receive(req: CallbackRequest, deps: CallbackDeps): Promise<{ response: CallbackResponse; outcome: CallbackOutcome }> {
  const declared = Number(req.headers['content-length']);
  if (req.body.length > deps.maxBodyBytes || (Number.isFinite(declared) && declared > deps.maxBodyBytes)) {
    return { response: empty(413, { connection: 'close' }), outcome: 'too large' };
  }
  const state = await subscriptionOf(req.callbackId, deps);
  // 410: the subscription is gone (§7: the hub may then end it), e.g. after `feeds remove`.
  if (!state) return { response: empty(410), outcome: 'gone' };
  const check = checkHubSignature(req.headers['x-hub-signature'], req.body, state.secret);
  if (!check.valid) {
    deps.log.warn('websub distribution ignored: signature not valid', { feed: state.feedUrl, why: check.why });
    return { response: empty(200), outcome: 'bad signature' };
  }
  const now = deps.clock.now();
  const minute = Math.floor(now.getTime() / 60_000) * 60;
  const count = await deps.store.incrementCounter(`websub#${state.feedUrl}`, minute, 120);
  if (count > (deps.maxPushesPerMinute ?? DEFAULT_MAX_PUSHES_PER_MINUTE)) return { response: empty(200), outcome: 'rate limited' };
  const absorbed = await deps.absorb(state.feedUrl, req.body, req.headers['content-type']);
  if (absorbed === 'unknown feed') return { response: empty(410), outcome: 'gone' };
  // When it was last heard from: a push gone quiet sends the feed back to adaptive polling.
  await updatePushState(deps.store, state.feedUrl, (s) => (s?.callbackId === state.callbackId ? { ...s, lastPushAt: now.toISOString() } : undefined)).catch((error: unknown) =>
    deps.log.warn('push time not recorded', { feed: state.feedUrl, error: String(error) }),
  );
  return { response: empty(200), outcome: 'absorbed' };
}

/** A subscription the hub refused or denied: retried after a backoff, at the feed's next poll after it. */
export function failed(state: PushState, reason: string, now: Date): PushState {
  const { renewalRequestedAt: _r, ...rest } = state;
  const failures = (state.failures ?? 0) + 1;
  return { ...rest, state: 'failed', reason, failures, retryAt: new Date(now.getTime() + retryDelayMinutes(failures) * 60_000).toISOString() };
}

/** hub.lease_seconds as the hub granted it: a positive whole number of seconds, at most a year. */
function leaseSeconds(value: string | null): number | undefined {
  if (value === null || !/^\d{1,9}$/.test(value.trim())) return undefined;
  const seconds = Number(value.trim());
  return seconds > 0 ? Math.min(seconds, 365 * 86_400) : undefined;
}

/** The challenge exactly as sent, as plain text that no browser would sniff into markup. */
function challengeEcho(challenge: string): CallbackResponse {
  return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' }, body: challenge };
}

function empty(status: number, headers: Record<string, string> = {}): CallbackResponse {
  return { status, headers: { 'cache-control': 'no-store', ...headers }, body: '' };
}
