/** What an email says, rendered: the mail adapter turns it into MIME (or a channel into its own form). */
export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  /** Extra headers (digests: X-Newshound-Items, List-Unsubscribe); single-line values. */
  headers: Record<string, string>;
}

/** One message to one recipient, as data: the adapter composes the bytes (MIME for SES and the outbox). */
export interface OutgoingMessage {
  /** `Name <address>` or a bare address (config `mail.from`). */
  from: string;
  /** Exactly one recipient address. */
  to: string;
  /** The Date header: the cycle clock (`--now`), not the moment the bytes are built. */
  date: Date;
  content: RenderedMessage;
  /**
   * Names one delivery across retries (a digest resumed after a crash carries the same one). A
   * mailer that is `idempotent` delivers each id at most once.
   */
  deliveryId?: string;
}

export interface Mailer {
  /** Sends one message; resolves with a provider message id; rejects when the provider refused it. */
  send(message: OutgoingMessage): Promise<{ messageId: string }>;
  /**
   * True when sending the same `deliveryId` again is harmless (it delivers nothing new), so a send
   * interrupted by a crash can simply be repeated. SES has no such key, so it is false there and an
   * interrupted send is ambiguous (README, "Send once, and what a crash costs").
   */
  readonly idempotent: boolean;
}
