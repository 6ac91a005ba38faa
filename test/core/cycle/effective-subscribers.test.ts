import { describe, expect, it } from 'vitest';
import { effectiveSubscriber, effectiveSubscribers } from '../../../lambda/core/cycle/effective-subscribers.ts';
import { subscriberId } from '../../../lambda/core/ids/subscriber-id.ts';
import type { Subscriber } from '../../../lambda/core/domain/subscriber.ts';
import type { Suppression } from '../../../lambda/core/domain/suppression.ts';

const NOW = new Date('2026-03-02T00:00:00Z');
const configured = { email: 'a@example.com', topics: ['jaxa'], frequency: 'daily' as const, timezone: 'Asia/Tokyo' };
const A = subscriberId('a@example.com');
const stored = (patch: Partial<Subscriber>): Subscriber => ({
  id: A,
  email: 'a@example.com',
  topics: ['tick'],
  frequency: 'immediate',
  timezone: 'UTC',
  status: 'active',
  source: 'config',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  ...patch,
});
const suppression = (id: string, reason = 'bounce: Permanent/General'): Suppression => ({ subscriberId: id, email: 'x@example.com', reason, at: NOW.toISOString() });
const none = new Map<string, Suppression>();

describe('effectiveSubscribers', () => {
  it('serves a config-file address with no stored record as active, with the file\'s settings', () => {
    const [only, ...rest] = effectiveSubscribers({ configured: [configured], stored: [], suppressions: none, now: NOW });
    expect(rest).toEqual([]);
    expect(only).toEqual({
      id: A,
      email: 'a@example.com',
      topics: ['jaxa'],
      frequency: 'daily',
      timezone: 'Asia/Tokyo',
      status: 'active',
      source: 'config',
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
    });
  });

  it('keeps the personal alerts a config-file address saved on the manage page, with the file\'s topics', () => {
    const alerts = [{ id: 'a1b2c3d4e5', name: 'Rockets', query: 'H3', paused: false, createdAt: NOW.toISOString(), updatedAt: NOW.toISOString() }];
    const [only] = effectiveSubscribers({ configured: [configured], stored: [stored({ alerts })], suppressions: none, now: NOW });
    expect(only).toMatchObject({ topics: ['jaxa'], frequency: 'daily', alerts, source: 'config' });
  });

  it('keeps a config-file address unsubscribed when the store says so, with the file\'s settings', () => {
    const [only] = effectiveSubscribers({ configured: [configured], stored: [stored({ status: 'unsubscribed' })], suppressions: none, now: NOW });
    expect(only).toMatchObject({ status: 'unsubscribed', topics: ['jaxa'], frequency: 'daily', source: 'config' });
  });

  it('takes a stored active or pending record of a config-file address as active with the file\'s settings', () => {
    for (const record of [stored({ status: 'active' }), stored({ status: 'pending', source: 'api' })]) {
      const [only] = effectiveSubscribers({ configured: [configured], stored: [record], suppressions: none, now: NOW });
      expect(only).toMatchObject({ status: 'active', topics: ['jaxa'], timezone: 'Asia/Tokyo', source: 'config' });
    }
  });

  it('marks anyone with a suppression suppressed, from the file or from the API', () => {
    const api = stored({ id: 'api-1', email: 'b@example.com', source: 'api' });
    const suppressions = new Map([[A, suppression(A)], ['api-1', suppression('api-1', 'complaint: abuse')]]);
    const all = effectiveSubscribers({ configured: [configured], stored: [api], suppressions, now: NOW });
    expect(all.map((s) => [s.id, s.status, s.suppressedReason])).toEqual([
      [A, 'suppressed', 'bounce: Permanent/General'],
      ['api-1', 'suppressed', 'complaint: abuse'],
    ]);
  });

  it('treats an old suppressed status like a suppression', () => {
    const [only] = effectiveSubscribers({ configured: [configured], stored: [stored({ status: 'suppressed', suppressedReason: 'bounce' })], suppressions: none, now: NOW });
    expect(only).toMatchObject({ status: 'suppressed', suppressedReason: 'bounce', topics: ['jaxa'] });
  });

  it('drops an active config address removed from the file, keeps an unsubscribed one and API subscribers', () => {
    const api = stored({ id: 'api-1', email: 'b@example.com', source: 'api' });
    const gone = stored({ id: 'gone', email: 'c@example.com' });
    const unsubscribed = stored({ id: 'unsub', email: 'd@example.com', status: 'unsubscribed' });
    const all = effectiveSubscribers({ configured: [], stored: [api, gone, unsubscribed], suppressions: none, now: NOW });
    expect(all.map((s) => s.id).sort()).toEqual(['api-1', 'unsub']);
  });

  it('lists an address the file names twice once, the first listing winning', () => {
    const all = effectiveSubscribers({ configured: [configured, { ...configured, email: ' A@Example.com', topics: ['tick'] }], stored: [], suppressions: none, now: NOW });
    expect(all).toHaveLength(1);
    expect(all[0]!.topics).toEqual(['jaxa']);
  });
});

describe('effectiveSubscriber', () => {
  it('answers for one address as the list does', () => {
    const sources = { configured: [configured], stored: stored({ status: 'unsubscribed' }), suppression: undefined, now: NOW };
    expect(effectiveSubscriber(A, sources)).toEqual(effectiveSubscribers({ configured: [configured], stored: [sources.stored], suppressions: none, now: NOW })[0]);
    expect(effectiveSubscriber(A, { ...sources, suppression: suppression(A) })).toMatchObject({ status: 'suppressed' });
    expect(effectiveSubscriber('nobody', { ...sources, stored: undefined })).toBeUndefined();
  });
});
