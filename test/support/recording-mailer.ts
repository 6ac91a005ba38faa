import type { Mailer, OutgoingMessage } from '../../lambda/core/ports/mailer.ts';

/** A mailer that keeps every message it is handed, for tests of the services that check what was sent. */
export class RecordingMailer implements Mailer {
  readonly idempotent = true;
  readonly sent: OutgoingMessage[] = [];
  async send(message: OutgoingMessage) {
    this.sent.push(message);
    return { messageId: `m-${this.sent.length}` };
  }
}
