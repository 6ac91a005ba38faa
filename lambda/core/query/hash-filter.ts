/**
 * A one-hash Bloom filter over 32-bit FNV-1a hashes of UTF-16 strings. The matcher hashes each text
 * word as it walks it (every prefix's hash comes for free), and only slices the word and looks it up
 * in a Map when the filter says it may be a term: most words of most items are not.
 */
export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

function hashString(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

const BITS = 20; // 2^20 bits = 128 KiB: about 1% false positives at 10,000 keys

export class HashFilter {
  private readonly bits = new Int32Array(1 << (BITS - 5));

  add(key: string): void {
    const b = hashString(key) >>> (32 - BITS);
    this.bits[b >>> 5] = (this.bits[b >>> 5] as number) | (1 << (b & 31));
  }

  has(hash: number): boolean {
    const b = hash >>> (32 - BITS);
    return ((this.bits[b >>> 5] as number) & (1 << (b & 31))) !== 0;
  }
}
