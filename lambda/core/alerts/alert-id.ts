// Alert ids are 10 characters of [a-z0-9] from a cryptographic source (README, "Personal alerts"):
// 36^10 ≈ 3.7 × 10^15 values, so ids drawn independently never meet in practice, across all
// subscribers. The source is passed in so the core stays free of node I/O.

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ALERT_ID_LENGTH = 10;
/** 252 = 7 × 36: bytes at or above it are dropped so every character is equally likely. */
const UNBIASED_BELOW = 252;

/** Random bytes, e.g. node:crypto's randomBytes. */
export type RandomBytes = (count: number) => Uint8Array;

/** A fresh alert id, never one of `taken` (the subscriber's own ids). */
export function newAlertId(randomBytes: RandomBytes, taken: ReadonlySet<string> = new Set()): string {
  for (;;) {
    let id = '';
    while (id.length < ALERT_ID_LENGTH) {
      for (const byte of randomBytes(ALERT_ID_LENGTH * 2)) {
        if (byte < UNBIASED_BELOW && id.length < ALERT_ID_LENGTH) id += ALPHABET[byte % ALPHABET.length];
      }
    }
    if (!taken.has(id)) return id;
  }
}

/** The shape of an alert id, checked before any id from a form is looked up. */
export function isAlertId(value: string): boolean {
  return /^[a-z0-9]{10}$/.test(value);
}
