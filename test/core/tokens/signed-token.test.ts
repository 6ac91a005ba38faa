import { describe, expect, it } from 'vitest';
import { signToken, verifyToken } from '../../../lambda/core/tokens/signed-token.ts';

const key = 'test-signing-key-0123456789abcdef';
const now = new Date('2026-11-28T00:00:00Z');
const nowSeconds = now.getTime() / 1000;

describe('signed tokens', () => {
  it('verify with the key and purpose they were signed for', () => {
    const token = signToken({ sub: 'sub-1', purpose: 'unsubscribe' }, key);

    const result = verifyToken(token, key, 'unsubscribe', now);

    expect(result).toEqual({ ok: true, payload: { sub: 'sub-1', purpose: 'unsubscribe' } });
  });

  it('are URL-safe as they are', () => {
    const token = signToken({ sub: 'ünïcödé+/=?&', purpose: 'manage', nonce: 'n/1+' }, key);

    expect(token).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(encodeURIComponent(token)).toBe(token);
  });

  it('reject a tampered payload as bad-signature', () => {
    // Prepare
    const token = signToken({ sub: 'sub-1', purpose: 'unsubscribe' }, key);
    const [, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'sub-2', purpose: 'unsubscribe' })).toString('base64url');

    // Act
    const result = verifyToken(`${forged}.${signature}`, key, 'unsubscribe', now);

    // Assess
    expect(result).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('reject a tampered signature and another key as bad-signature', () => {
    const token = signToken({ sub: 'sub-1', purpose: 'unsubscribe' }, key);
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');

    expect(verifyToken(flipped, key, 'unsubscribe', now)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyToken(token, 'another-key-0123456789abcdef', 'unsubscribe', now)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('reject an expired token, and accept it before expiry', () => {
    const token = signToken({ sub: 'sub-1', purpose: 'confirm', exp: nowSeconds + 60 }, key);

    expect(verifyToken(token, key, 'confirm', new Date(now.getTime() + 59_000)).ok).toBe(true);
    expect(verifyToken(token, key, 'confirm', new Date(now.getTime() + 60_000))).toEqual({ ok: false, reason: 'expired' });
  });

  it('reject a token used for another purpose', () => {
    const token = signToken({ sub: 'sub-1', purpose: 'confirm' }, key);

    expect(verifyToken(token, key, 'unsubscribe', now)).toEqual({ ok: false, reason: 'wrong-purpose' });
  });

  it('reject malformed tokens', () => {
    const valid = signToken({ sub: 'sub-1', purpose: 'manage' }, key);
    for (const token of ['', 'abc', 'a.b.c', `${valid}.x`, 'a b.c', '.sig', `${valid.split('.')[0]}.`]) {
      expect(verifyToken(token, key, 'manage', now)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('accept any of several keys, so a key can be rotated', () => {
    const token = signToken({ sub: 'sub-1', purpose: 'manage' }, 'old-key-0123456789abcdef');

    expect(verifyToken(token, ['new-key-0123456789abcdef', 'old-key-0123456789abcdef'], 'manage', now).ok).toBe(true);
  });

  it('refuse to sign with an empty key', () => {
    expect(() => signToken({ sub: 'sub-1', purpose: 'manage' }, '')).toThrow(/empty/);
  });
});
