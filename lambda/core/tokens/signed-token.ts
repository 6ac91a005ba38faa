import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenPurpose = 'unsubscribe' | 'manage' | 'confirm';

export interface TokenPayload {
  /** The subscriber id. */
  sub: string;
  purpose: TokenPurpose;
  /** Expiry, epoch seconds; absent means the token does not expire (unsubscribe links must keep working). */
  exp?: number;
  /** Distinguishes otherwise identical tokens (e.g. two confirmation requests); the caller may record it. */
  nonce?: string;
}

export type VerifyResult =
  | { ok: true; payload: TokenPayload }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' | 'wrong-purpose' };

const PURPOSES: readonly string[] = ['unsubscribe', 'manage', 'confirm'];
/** Domain-separates these MACs from any other use of the same key. */
const CONTEXT = 'newshound-token-v1.';
const B64URL = /^[A-Za-z0-9_-]+$/;

/**
 * `<base64url(JSON payload)>.<base64url(HMAC-SHA256(key, context + payload part))>`: URL-safe without
 * escaping, readable by an operator, tamper-evident. Not encrypted: the payload holds only ids.
 */
export function signToken(payload: TokenPayload, key: string): string {
  requireKey(key);
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${mac(body, key).toString('base64url')}`;
}

/**
 * Checks, in order: shape, signature (constant-time; against each key, so a rotated-out key can be
 * kept for a while), purpose, expiry. A tampered token reports bad-signature, never what it claimed.
 */
export function verifyToken(
  token: string,
  key: string | readonly string[],
  purpose: string,
  now: Date,
): VerifyResult {
  const keys = typeof key === 'string' ? [key] : [...key];
  keys.forEach(requireKey);
  if (typeof token !== 'string' || token.length > 2048) return { ok: false, reason: 'malformed' };
  const [body, signature, extra] = token.split('.');
  if (extra !== undefined || !body || !signature || !B64URL.test(body) || !B64URL.test(signature)) {
    return { ok: false, reason: 'malformed' };
  }

  // Compare the encoded text, not decoded bytes: base64url decoding ignores the trailing pad bits,
  // so decoded comparison would accept several spellings of one signature.
  const given = Buffer.from(signature, 'utf8');
  const valid = keys.some((k) => {
    const expected = Buffer.from(mac(body, k).toString('base64url'), 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!valid) return { ok: false, reason: 'bad-signature' };

  const payload = parsePayload(body);
  if (!payload) return { ok: false, reason: 'malformed' };
  if (payload.purpose !== purpose) return { ok: false, reason: 'wrong-purpose' };
  if (payload.exp !== undefined && now.getTime() / 1000 >= payload.exp) return { ok: false, reason: 'expired' };
  return { ok: true, payload };
}

function mac(body: string, key: string): Buffer {
  return createHmac('sha256', key).update(CONTEXT + body).digest();
}

function requireKey(key: string): void {
  // An empty key would make every token forgeable: a deployment error, not a bad token. (Use 32
  // random bytes; the length is not enforced beyond that so tests can use readable keys.)
  if (typeof key !== 'string' || key.length === 0) throw new Error('token signing key is empty');
}

function parsePayload(body: string): TokenPayload | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { sub, purpose, exp, nonce } = value as Record<string, unknown>;
  if (typeof sub !== 'string' || !sub || typeof purpose !== 'string' || !PURPOSES.includes(purpose)) return undefined;
  if (exp !== undefined && (typeof exp !== 'number' || !Number.isFinite(exp))) return undefined;
  if (nonce !== undefined && typeof nonce !== 'string') return undefined;
  const payload: TokenPayload = { sub, purpose: purpose as TokenPurpose };
  if (exp !== undefined) payload.exp = exp;
  if (nonce !== undefined) payload.nonce = nonce;
  return payload;
}
