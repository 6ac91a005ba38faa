import { describe, expect, it } from 'vitest';
import { subscriberId } from '../../../lambda/core/ids/subscriber-id.ts';

describe('subscriberId', () => {
  it('is 20 hex digits', () => {
    expect(subscriberId('analyst@example.com')).toMatch(/^[0-9a-f]{20}$/);
  });

  it('gives the same id whatever the case and surrounding spaces of the address', () => {
    expect(subscriberId('  Analyst@Example.COM ')).toBe(subscriberId('analyst@example.com'));
  });

  it('gives different addresses different ids', () => {
    expect(subscriberId('a@example.com')).not.toBe(subscriberId('b@example.com'));
  });

  it('is stable across releases (ids are stored keys)', () => {
    // sha256("analyst@example.com"), first 20 hex digits
    expect(subscriberId('analyst@example.com')).toBe('506729b248c4d4312320');
  });
});
