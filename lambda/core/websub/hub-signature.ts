import { createHmac, timingSafeEqual } from 'node:crypto';

// X-Hub-Signature on a content distribution (W3C WebSub §7, "Authenticated Content Distribution"):
// `method=hex`, an HMAC of the exact body bytes under the subscription's secret.

/** The methods accepted. sha1 is refused: its collisions are practical, and every hub can do sha256. */
const ACCEPTED = new Set(['sha256', 'sha384', 'sha512']);

export type SignatureCheck = { valid: true; method: string } | { valid: false; why: 'missing' | 'malformed' | 'method not accepted' | 'mismatch' };

export function checkHubSignature(header: string | undefined, body: Buffer, secret: string): SignatureCheck {
  if (header === undefined || header.trim() === '') return { valid: false, why: 'missing' };
  const match = /^\s*([A-Za-z0-9-]+)=([0-9a-fA-F]+)\s*$/.exec(header);
  if (!match?.[1] || !match[2]) return { valid: false, why: 'malformed' };
  const method = match[1].toLowerCase();
  if (!ACCEPTED.has(method)) return { valid: false, why: 'method not accepted' };
  const expected = createHmac(method, secret).update(body).digest();
  const given = Buffer.from(match[2], 'hex');
  // Same length first (timingSafeEqual demands it); the length of a digest is no secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { valid: false, why: 'mismatch' };
  return { valid: true, method };
}
