import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PushState } from '../../../lambda/core/domain/push-state.ts';
import type { Store } from '../../../lambda/core/ports/store.ts';
import { T0, unique, type MovableClock } from './fixtures.ts';

function pushState(overrides: Partial<PushState> = {}): PushState {
  return {
    feedUrl: `https://news.example/${unique('feed')}.xml`,
    hub: 'https://hub.example/',
    topic: 'https://news.example/self.xml',
    callbackId: randomBytes(16).toString('hex'),
    secret: randomBytes(32).toString('hex'),
    state: 'pending',
    requestedAt: T0.toISOString(),
    leaseSeconds: 864_000,
    ...overrides,
  };
}

// A feed's WebSub subscription: its own versioned item beside the feed state, and a callback id that
// leads back to the feed (docs/table-layout.md).
export function pushStatesContract(fresh: () => { clock: MovableClock; store: Store }): void {
  describe('push subscriptions', () => {
    it('reads back every field of a stored subscription, and finds its feed by the callback id', async () => {
      // Prepare
      const { store } = fresh();
      const state = pushState({ state: 'active', leaseEndsAt: '2025-03-11T09:00:00.000Z', verifiedAt: T0.toISOString(), lastPushAt: T0.toISOString(), reason: 'renewed', failures: 0 });
      // Act
      expect(await store.putPushState(state)).toBe(true);
      // Assess
      expect((await store.getPushStates([state.feedUrl])).get(state.feedUrl)).toEqual({ ...state, version: 1 });
      expect(await store.pushFeedFor(state.callbackId)).toBe(state.feedUrl);
    });

    it('keeps a subscription apart from the feed state: writing one never moves the other\'s version', async () => {
      const { store } = fresh();
      const push = pushState();
      await store.putFeedState({ feedUrl: push.feedUrl, consecutiveFailures: 0, recentKeyHashes: [], newItemTimes: [] });
      // Act
      await store.putPushState(push);
      await store.putPushState({ ...push, version: 1, state: 'active' });
      // Assess
      expect((await store.getFeedStates([push.feedUrl])).get(push.feedUrl)?.version).toBe(1);
      expect((await store.getPushStates([push.feedUrl])).get(push.feedUrl)?.version).toBe(2);
    });

    it('refuses a write over a version another writer has moved on from', async () => {
      const { store } = fresh();
      const push = pushState();
      await store.putPushState(push);
      await store.putPushState({ ...push, version: 1, state: 'active' });
      // Act
      const stale = await store.putPushState({ ...push, version: 1, state: 'failed' });
      const fresher = await store.putPushState(push);
      // Assess
      expect(stale).toBe(false);
      expect(fresher).toBe(false);
      expect((await store.getPushStates([push.feedUrl])).get(push.feedUrl)?.state).toBe('active');
    });

    it('forgets the subscription and its callback id when deleted over its version', async () => {
      const { store } = fresh();
      const push = pushState();
      await store.putPushState(push);
      // Act
      const stale = await store.deletePushState({ ...push, version: 7 });
      const deleted = await store.deletePushState({ ...push, version: 1 });
      // Assess
      expect(stale).toBe(false);
      expect(deleted).toBe(true);
      expect((await store.getPushStates([push.feedUrl])).size).toBe(0);
      expect(await store.pushFeedFor(push.callbackId)).toBeUndefined();
    });

    it('knows no feed for a callback id it never stored or was told to forget', async () => {
      const { store } = fresh();
      const push = pushState();
      await store.putPushState(push);
      // Act
      await store.forgetPushCallback(push.callbackId);
      // Assess
      expect(await store.pushFeedFor(push.callbackId)).toBeUndefined();
      expect(await store.pushFeedFor(randomBytes(16).toString('hex'))).toBeUndefined();
      expect((await store.getPushStates([push.feedUrl])).get(push.feedUrl)?.callbackId).toBe(push.callbackId);
    });
  });
}
