import { describe, expect, it } from 'vitest';
import { planSubscriberSync } from '../../../lambda/core/cycle/plan-subscriber-sync.ts';
import { subscriberId } from '../../../lambda/core/ids/subscriber-id.ts';
import type { Subscriber } from '../../../lambda/core/ports/store.ts';

const NOW = new Date('2026-03-02T00:00:00Z');
const configured = { email: 'a@example.com', topics: ['jaxa'], frequency: 'daily' as const, timezone: 'Asia/Tokyo' };
const stored = (patch: Partial<Subscriber>): Subscriber => ({
  id: subscriberId('a@example.com'),
  email: 'a@example.com',
  topics: ['jaxa'],
  frequency: 'daily',
  timezone: 'Asia/Tokyo',
  status: 'active',
  source: 'config',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  ...patch,
});

describe('planSubscriberSync', () => {
  it('adds a new config subscriber as active', () => {
    const plan = planSubscriberSync([configured], [], NOW);
    expect(plan.puts).toEqual([expect.objectContaining({ email: 'a@example.com', status: 'active', source: 'config' })]);
  });

  it('writes nothing when the stored record already says the same', () => {
    expect(planSubscriberSync([configured], [stored({})], NOW).puts).toEqual([]);
  });

  it('keeps an unsubscribed or suppressed status while taking topics from the file', () => {
    const plan = planSubscriberSync([{ ...configured, topics: ['tick'] }], [stored({ status: 'suppressed', suppressedReason: 'bounce' })], NOW);
    expect(plan.puts).toEqual([expect.objectContaining({ status: 'suppressed', topics: ['tick'], suppressedReason: 'bounce' })]);
  });

  it('deletes an active config subscriber removed from the file, keeps an unsubscribed one and API subscribers', () => {
    const api = stored({ id: 'api-1', email: 'b@example.com', source: 'api' });
    const gone = stored({ id: 'gone', email: 'c@example.com' });
    const unsubscribed = stored({ id: 'unsub', email: 'd@example.com', status: 'unsubscribed' });
    const plan = planSubscriberSync([], [api, gone, unsubscribed], NOW);
    expect(plan.deletes).toEqual(['gone']);
    expect(plan.subscribers.map((s) => s.id).sort()).toEqual(['api-1', 'unsub']);
  });
});
