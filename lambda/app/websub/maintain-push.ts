import { randomBytes } from 'node:crypto';
import type { FeedState } from '../../core/domain/feed-state.ts';
import type { PushState } from '../../core/domain/push-state.ts';
import type { WebSubLinks } from '../../core/model.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { HubClient, HubRequestOptions } from '../../core/ports/hub-client.ts';
import type { PushStore } from '../../core/ports/push-store.ts';
import { pushCoverage } from '../../core/schedule/push-coverage.ts';
import type { CycleLog } from '../cycle-log.ts';
import { failed } from './handle-callback.ts';
import { updatePushState } from './update-push-state.ts';

// The subscriber side of W3C WebSub §5.1 (docs/feeds.md, "Push (WebSub)"): after a poll, subscribe
// a feed that names a hub, renew a lease before it ends, retry a refused subscription after a
// backoff. Everything happens at the feed's own polls: no timer of its own.

export interface PushDeps {
  store: Pick<PushStore, 'getPushStates' | 'putPushState' | 'deletePushState' | 'forgetPushCallback'>;
  hub: HubClient;
  /** Callback URLs are `<callbackBase>/<callback id>` (callback-base.ts). */
  callbackBase: string;
  /** Lease asked for (hub.lease_seconds); default 10 days. */
  leaseSeconds?: number;
  request: HubRequestOptions;
  clock: Clock;
  log: CycleLog;
}

const DEFAULT_LEASE_SECONDS = 10 * 86_400;
/** A request the hub has not verified within this long is taken as failed (and retried with backoff). */
const VERIFY_WITHIN_MS = 60 * 60_000;
/** Renew when less than this much, or 10 % of the lease, is left. */
const RENEW_BEFORE_MS = 24 * 60 * 60_000;
/** Polls come at whole minutes: a retry time within this of a poll is taken as reached. */
const RETRY_SLACK_MS = 60_000;
/** Longest reason kept from a hub's answer. */
const MAX_REASON_CHARS = 200;

type Plan = { kind: 'subscribe'; hub: string; topic: string } | { kind: 'renew' } | { kind: 'expire-request' } | { kind: 'none' };

/**
 * What a poll that just finished means for the feed's subscription. `websub`: what the response
 * named (nothing for a 304 or a failure); `feed`: the feed state after the poll.
 */
function planPush(feedUrl: string, websub: WebSubLinks | undefined, push: PushState | undefined, feed: Pick<FeedState, 'newItemTimes'>, now: Date): Plan {
  const at = now.getTime();
  const usable = websub?.hubs.find((hub) => secretSafe(hub, feedUrl));
  const named = usable !== undefined ? { hub: usable, topic: websub?.self ?? feedUrl } : undefined;
  if (!push || push.state === 'unsubscribing') return named ? { kind: 'subscribe', ...named } : { kind: 'none' };
  // The feed moved to another hub or topic: follow it; the old subscription lapses.
  if (websub && named && (!websub.hubs.includes(push.hub) || push.topic !== named.topic)) return { kind: 'subscribe', ...named };
  const again = { kind: 'subscribe' as const, hub: push.hub, topic: push.topic };
  const retryDue = !push.retryAt || Date.parse(push.retryAt) <= at + RETRY_SLACK_MS;
  switch (push.state) {
    case 'failed':
      return retryDue ? again : { kind: 'none' };
    case 'pending':
      return at - Date.parse(push.requestedAt) > VERIFY_WITHIN_MS ? { kind: 'expire-request' } : { kind: 'none' };
    case 'active': {
      const coverage = pushCoverage(push, feed.newItemTimes, now);
      if (!coverage.covered && coverage.why === 'lease ended') return again;
      if (push.renewalRequestedAt && at - Date.parse(push.renewalRequestedAt) <= VERIFY_WITHIN_MS) return { kind: 'none' };
      if (!retryDue) return { kind: 'none' };
      const left = Date.parse(push.leaseEndsAt ?? '') - at;
      const renewDue = !(left > Math.max(RENEW_BEFORE_MS, push.leaseSeconds * 100));
      return renewDue || (!coverage.covered && coverage.why === 'quiet') ? { kind: 'renew' } : { kind: 'none' };
    }
  }
}

/**
 * §5.1: hub.secret SHOULD only be sent over HTTPS. A plain-http hub is used only for a plain-http
 * feed: whoever can read the secret on the way could as well rewrite the feed we poll, so push is
 * no weaker than polling there; an https feed is never made forgeable through an http hub.
 */
function secretSafe(hub: string, feedUrl: string): boolean {
  return hub.startsWith('https:') || feedUrl.startsWith('http:');
}

/** Carries out planPush; returns what it did, for the log (undefined: nothing). Never throws for a hub's answer. */
export async function maintainPush(
  deps: PushDeps,
  feedUrl: string,
  websub: WebSubLinks | undefined,
  push: PushState | undefined,
  feed: Pick<FeedState, 'newItemTimes'>,
): Promise<string | undefined> {
  const now = deps.clock.now();
  const plan = planPush(feedUrl, websub, push, feed, now);
  switch (plan.kind) {
    case 'none':
      return undefined;
    case 'expire-request':
      await updatePushState(deps.store, feedUrl, (s) => (s?.state === 'pending' && s.requestedAt === push?.requestedAt ? failed(s, 'the hub never verified the request', now) : undefined));
      return 'request expired';
    case 'subscribe':
      return subscribe(deps, feedUrl, plan.hub, plan.topic, push, now);
    case 'renew':
      return renew(deps, feedUrl, now);
  }
}

/** A new subscription: new callback id and secret, written as pending before the hub is asked (it may verify at once). */
async function subscribe(deps: PushDeps, feedUrl: string, hub: string, topic: string, previous: PushState | undefined, now: Date): Promise<string> {
  const lease = deps.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  const fresh: PushState = {
    feedUrl,
    hub,
    topic,
    callbackId: randomBytes(16).toString('hex'),
    secret: randomBytes(32).toString('hex'),
    state: 'pending',
    requestedAt: now.toISOString(),
    leaseSeconds: lease,
    // The backoff goes on counting until a hub verifies a subscription.
    ...(previous?.failures ? { failures: previous.failures } : {}),
  };
  await updatePushState(deps.store, feedUrl, () => fresh);
  if (previous && previous.callbackId !== fresh.callbackId) await deps.store.forgetPushCallback(previous.callbackId);
  const problem = await ask(deps, fresh, 'subscribe');
  if (problem === undefined) return `subscription requested at ${hub}`;
  await updatePushState(deps.store, feedUrl, (s) => (s?.callbackId === fresh.callbackId && s.state === 'pending' ? failed(s, problem, now) : undefined));
  deps.log.warn('websub subscription refused', { feed: feedUrl, hub, reason: problem });
  return `subscription failed: ${problem}`;
}

/** The same subscription again (same callback and secret), before its lease ends or when it went quiet. */
async function renew(deps: PushDeps, feedUrl: string, now: Date): Promise<string | undefined> {
  const written = await updatePushState(deps.store, feedUrl, (s) => (s?.state === 'active' ? { ...s, renewalRequestedAt: now.toISOString() } : undefined));
  if (written === undefined || written === 'delete') return undefined;
  const problem = await ask(deps, written, 'subscribe');
  if (problem === undefined) return `renewal requested at ${written.hub}`;
  // The lease still runs: keep it, and try again after the backoff.
  await updatePushState(deps.store, feedUrl, (s) => {
    if (s?.callbackId !== written.callbackId || s.state !== 'active') return undefined;
    const { renewalRequestedAt: _r, ...rest } = s;
    const failures = (s.failures ?? 0) + 1;
    return { ...rest, reason: `renewal failed: ${problem}`, failures, retryAt: failed(s, problem, now).retryAt ?? now.toISOString() };
  });
  return `renewal failed: ${problem}`;
}

/** Asks the hub; undefined when it accepted, else why not (the spec's answer is 202; any 2xx is taken, as older hubs answer 204). */
export async function ask(deps: Pick<PushDeps, 'hub' | 'callbackBase' | 'request'>, push: PushState, mode: 'subscribe' | 'unsubscribe'): Promise<string | undefined> {
  const form = new URLSearchParams({ 'hub.mode': mode, 'hub.topic': push.topic, 'hub.callback': `${deps.callbackBase}/${push.callbackId}` });
  if (mode === 'subscribe') {
    form.set('hub.lease_seconds', String(push.leaseSeconds));
    form.set('hub.secret', push.secret);
  }
  const answer = await deps.hub.post(push.hub, form, deps.request);
  if ('error' in answer) return answer.error.slice(0, MAX_REASON_CHARS);
  if (answer.status >= 200 && answer.status < 300) return undefined;
  const text = answer.body.replace(/\s+/g, ' ').trim();
  return `hub answered ${answer.status}${text ? `: ${text}` : ''}`.slice(0, MAX_REASON_CHARS);
}
