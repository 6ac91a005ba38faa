import { describe, expect, it } from 'vitest';
import type { Store } from '../../../lambda/core/ports/store.ts';
import { T0, epoch, subscriber, unique, type MovableClock } from './fixtures.ts';

// The Store contract, part two: subscribers, suppressions, the subscription API's counters and
// nonces, and the cycle lock. Registered by storeContract() once per engine.
export function accountsContract(fresh: () => { clock: MovableClock; store: Store }): void {
  describe('subscribers', () => {
    it('stores, lists, updates and deletes subscribers', async () => {
      // Prepare
      const { store } = fresh();
      const alice = subscriber();
      const bob = subscriber({ frequency: 'immediate', source: 'api', status: 'pending' });
      // Act
      await store.putSubscriber(alice);
      await store.putSubscriber(bob);
      await store.putSubscriber({ ...bob, status: 'suppressed', suppressedReason: 'bounce' });
      const listed = await store.listSubscribers();
      await store.deleteSubscriber(alice.id);
      // Assess
      expect(listed).toEqual(expect.arrayContaining([alice, { ...bob, status: 'suppressed', suppressedReason: 'bounce' }]));
      expect(await store.getSubscriber(alice.id)).toBeUndefined();
      expect(await store.getSubscriber(bob.id)).toMatchObject({ status: 'suppressed' });
      expect((await store.listSubscribers()).map((s) => s.id)).not.toContain(alice.id);
    });

    it('lists a subscriber right after it was stored', async () => {
      const { store } = fresh();
      const carol = subscriber();
      await store.putSubscriber(carol);
      expect((await store.listSubscribers()).map((s) => s.id)).toContain(carol.id);
    });
  });

  describe('suppressions', () => {
    it('records a suppression apart from the subscriber profile, and reads it back', async () => {
      // Prepare
      const { store } = fresh();
      const bounced = subscriber();
      await store.putSubscriber(bounced);
      const suppression = { subscriberId: bounced.id, email: bounced.email, reason: 'bounce: Permanent/General (5.1.1)', at: T0.toISOString() };
      // Act
      await store.suppress(suppression);
      // Assess
      expect(await store.getSuppression(bounced.id)).toEqual(suppression);
      expect(await store.getSubscriber(bounced.id)).toEqual(bounced);
      expect((await store.listSubscribers()).map((s) => s.id)).toContain(bounced.id);
    });

    it('knows nothing about an address never suppressed', async () => {
      const { store } = fresh();
      expect(await store.getSuppression(unique('sub'))).toBeUndefined();
      expect((await store.listSuppressions()).has(unique('sub'))).toBe(false);
    });

    it('lists every suppression by subscriber id, a repeated one once', async () => {
      // Prepare
      const { store } = fresh();
      const first = { subscriberId: unique('sub'), email: 'one@example.net', reason: 'complaint: abuse', at: T0.toISOString() };
      const second = { subscriberId: unique('sub'), email: 'two@example.net', reason: 'bounce: Permanent/General', at: T0.toISOString() };
      // Act
      await store.suppress(first);
      await store.suppress(second);
      await store.suppress(first);
      const listed = await store.listSuppressions();
      // Assess
      expect(listed.get(first.subscriberId)).toEqual(first);
      expect(listed.get(second.subscriberId)).toEqual(second);
      expect([...listed.values()].filter((s) => s.subscriberId === first.subscriberId)).toHaveLength(1);
    });

    it('keeps suppressions out of the subscriber listing', async () => {
      const { store } = fresh();
      const id = unique('sub');
      await store.suppress({ subscriberId: id, email: 'stranger@example.net', reason: 'complaint: abuse', at: T0.toISOString() });
      expect((await store.listSubscribers()).map((s) => s.id)).not.toContain(id);
    });
  });

  describe('subscription API: counters and single-use nonces', () => {
    it('counts each increment of one window, and starts another window from one', async () => {
      // Prepare
      const { store } = fresh();
      const key = unique('subscribe-ip');
      // Act
      const counts = [];
      for (let i = 0; i < 3; i++) counts.push(await store.incrementCounter(key, epoch(T0), 3600));
      const nextWindow = await store.incrementCounter(key, epoch(T0) + 3600, 3600);
      // Assess
      expect(counts).toEqual([1, 2, 3]);
      expect(nextWindow).toBe(1);
    });

    it('gives each of many simultaneous increments its own count', async () => {
      const { store } = fresh();
      const key = unique('subscribe-email');
      const counts = await Promise.all(Array.from({ length: 10 }, () => store.incrementCounter(key, epoch(T0), 3600)));
      expect([...counts].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it('consumes a nonce once; a nonce past its expiresAt may be consumed again', async () => {
      // Prepare
      const { store, clock } = fresh();
      const nonce = unique('nonce');
      // Act
      const first = await store.consumeNonce(nonce, epoch(T0) + 60);
      const again = await store.consumeNonce(nonce, epoch(T0) + 60);
      clock.advanceSeconds(61);
      const afterExpiry = await store.consumeNonce(nonce, epoch(clock.now()) + 60);
      // Assess
      expect([first, again, afterExpiry]).toEqual([true, false, true]);
    });
  });

  describe('cycle lock', () => {
    const took = async (attempt: Promise<{ acquired: boolean }>) => (await attempt).acquired;
    const holder = { host: 'box', pid: 4242, processStart: 'boot-1:1234' };

    it('lets one owner hold the lock while another is refused', async () => {
      const { store } = fresh();
      const name = unique('cycle');
      expect(await took(store.acquireLock(name, 'run-a', T0, 300, holder))).toBe(true);
      expect(await took(store.acquireLock(name, 'run-b', T0, 300))).toBe(false);
      expect(await took(store.acquireLock(name, 'run-a', T0, 300))).toBe(true);
    });

    it('gives the lock to another owner once the lease has expired, naming the lease it replaced', async () => {
      const { store } = fresh();
      const name = unique('cycle');
      await store.acquireLock(name, 'run-a', T0, 60, holder);
      const later = new Date(T0.getTime() + 61_000);
      const attempt = await store.acquireLock(name, 'run-b', later, 60);
      expect(attempt).toEqual({ acquired: true, replaced: expect.objectContaining({ owner: 'run-a', holder }) });
      expect(await took(store.acquireLock(name, 'run-a', later, 60))).toBe(false);
    });

    it('renews its own lease without reporting a replaced one', async () => {
      const { store } = fresh();
      const name = unique('cycle');
      await store.acquireLock(name, 'run-a', T0, 60);
      expect(await store.acquireLock(name, 'run-a', new Date(T0.getTime() + 30_000), 60)).toEqual({ acquired: true });
      expect((await store.getLock(name))?.expiresAt).toBe(epoch(T0) + 90);
    });

    it('frees the lock on release by its owner, not by anyone else', async () => {
      const { store } = fresh();
      const name = unique('cycle');
      await store.acquireLock(name, 'run-a', T0, 300);
      await store.releaseLock(name, 'run-b');
      expect(await took(store.acquireLock(name, 'run-b', T0, 300))).toBe(false);
      await store.releaseLock(name, 'run-a');
      expect(await took(store.acquireLock(name, 'run-b', T0, 300))).toBe(true);
    });

    it('lets exactly one of many simultaneous owners win', async () => {
      const { store } = fresh();
      const name = unique('cycle');
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => took(store.acquireLock(name, `run-${i}`, T0, 300))));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('shows who holds the lock, and hands an unexpired lease over only from the owner named', async () => {
      const { store } = fresh();
      const name = unique('cycle');
      await store.acquireLock(name, 'run-a', T0, 300, holder);
      expect(await store.getLock(name)).toEqual({ name, owner: 'run-a', acquiredAt: T0.toISOString(), expiresAt: epoch(T0) + 300, holder });
      expect(await store.takeOverLock(name, 'someone-else', 'run-b', T0, 300)).toBe(false);
      expect(await store.takeOverLock(name, 'run-a', 'run-b', T0, 300)).toBe(true);
      expect(await store.takeOverLock(name, 'run-a', 'run-c', T0, 300)).toBe(false);
      expect((await store.getLock(name))?.owner).toBe('run-b');
    });
  });
}
