import { SESClient, SendRawEmailCommand, type SendRawEmailCommandOutput } from '@aws-sdk/client-ses';
import type { Mailer, OutgoingMessage } from '../../core/ports/mailer.ts';
import { messageBytes } from './build-mime.ts';
import { MailSendError } from './mail-send-error.ts';

let sharedClient: SESClient | undefined;

/**
 * One client per process, made on first use rather than at import, so importing this module in
 * outbox mode costs nothing and the region/endpoint (`AWS_ENDPOINT_URL_SES`) are read from the
 * environment as it is when mail is first sent.
 */
function defaultClient(): SESClient {
  sharedClient ??= new SESClient({});
  return sharedClient;
}

export interface SesMailerOptions {
  client?: SESClient;
  /** SES configuration set, for bounce/complaint event publishing. */
  configurationSet?: string;
}

/**
 * SES v1 SendRawEmail: the message is composed by buildMime and the bytes go out unchanged. The envelope recipient is
 * given explicitly (`Destinations`), so SES delivers to that one address whatever the headers say.
 */
export class SesMailer implements Mailer {
  /** SendRawEmail has no idempotency key: a send interrupted by a crash cannot be safely repeated. */
  readonly idempotent = false;
  private readonly client: SESClient;
  private readonly configurationSet?: string;

  constructor(options: SesMailerOptions = {}) {
    this.client = options.client ?? defaultClient();
    this.configurationSet = options.configurationSet;
  }

  async send(email: OutgoingMessage): Promise<{ messageId: string }> {
    const raw = await messageBytes(email);
    let output: SendRawEmailCommandOutput;
    try {
      output = await this.client.send(
        new SendRawEmailCommand({
          RawMessage: { Data: raw },
          Source: email.from,
          Destinations: [email.to],
          ConfigurationSetName: this.configurationSet,
        }),
      );
    } catch (error) {
      throw MailSendError.from(error);
    }
    if (!output.MessageId) throw new MailSendError('SES accepted the message but returned no MessageId', false);
    return { messageId: output.MessageId };
  }
}
