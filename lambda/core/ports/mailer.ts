/** A fully built MIME message: exactly the bytes handed to SES SendRawEmail or written as `.eml`. */
export interface RawEmail {
  from: string;
  to: string;
  raw: Buffer;
}

export interface Mailer {
  /** Sends one message; resolves with a provider message id; rejects when the provider refused it. */
  send(email: RawEmail): Promise<{ messageId: string }>;
}
