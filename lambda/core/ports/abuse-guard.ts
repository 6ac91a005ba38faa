/** The subscription API's rate limits and single-use links. */
export interface AbuseGuard {
  /**
   * Adds one to the counter `key` of the window starting at `windowStart` (epoch seconds) and
   * returns the new count; the counter expires `ttlSeconds` after the window starts.
   */
  incrementCounter(key: string, windowStart: number, ttlSeconds: number): Promise<number>;
  /** Records a single-use nonce (conditional put); false when it was consumed before. Kept until `expiresAt` (epoch s). */
  consumeNonce(nonce: string, expiresAt: number): Promise<boolean>;
}
