/** A fully built MIME message: exactly the bytes handed to SES SendRawEmail or written as `.eml`. */
export interface RawEmail {
  from: string;
  to: string;
  raw: Buffer;
  /**
   * Names one delivery across retries (a digest resumed after a crash carries the same one). A
   * mailer that is `idempotent` delivers each id at most once.
   */
  deliveryId?: string;
}

export interface Mailer {
  /** Sends one message; resolves with a provider message id; rejects when the provider refused it. */
  send(email: RawEmail): Promise<{ messageId: string }>;
  /**
   * True when sending the same `deliveryId` again is harmless (it delivers nothing new), so a send
   * interrupted by a crash can simply be repeated. SES has no such key, so it is false there and an
   * interrupted send is ambiguous (README, "Send once, and what a crash costs").
   */
  readonly idempotent: boolean;
}
