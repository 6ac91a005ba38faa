import { describe, expect, it } from 'vitest';
import { digestId } from '../../../lambda/core/digest/digest-id.ts';

describe('digestId', () => {
  it('is the same for the same stories in any order, so a retried cycle collides', () => {
    expect(digestId('sub-1', 'daily:2026-11-28@Asia/Tokyo', ['b', 'a', 'a'])).toBe(
      digestId('sub-1', 'daily:2026-11-28@Asia/Tokyo', ['a', 'b']),
    );
  });

  it('differs by subscriber, slot and stories', () => {
    const base = digestId('sub-1', 'hourly:2026-11-28T04', ['a']);

    expect(digestId('sub-2', 'hourly:2026-11-28T04', ['a'])).not.toBe(base);
    expect(digestId('sub-1', 'hourly:2026-11-28T05', ['a'])).not.toBe(base);
    expect(digestId('sub-1', 'hourly:2026-11-28T04', ['a', 'b'])).not.toBe(base);
    // Joined naively, ['ab'] and ['a','b'] could collide.
    expect(digestId('sub-1', 'immediate', ['ab'])).not.toBe(digestId('sub-1', 'immediate', ['a', 'b']));
  });

  it('is a hex sha256', () => {
    expect(digestId('s', 'immediate', ['k'])).toMatch(/^[0-9a-f]{64}$/);
  });
});
