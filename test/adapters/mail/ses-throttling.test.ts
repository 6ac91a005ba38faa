import { SESClient, SendRawEmailCommand, MessageRejected } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { MailSendError } from '../../../lambda/adapters/mail/mail-send-error.ts';
import { SesMailer } from '../../../lambda/adapters/mail/ses-mailer.ts';

const email = {
  from: 'alerts@example.com',
  to: 'analyst@example.com',
  date: new Date('2026-03-02T00:00:00Z'),
  content: { subject: 'x', text: 'body', html: '<p>body</p>', headers: {} },
};
const sesMock = mockClient(SESClient);

afterEach(() => sesMock.reset());

describe('SesMailer when SES refuses', () => {
  it('rejects a throttled send as transient, so the caller keeps the hits pending', async () => {
    // Prepare
    const throttled = Object.assign(new Error('Maximum sending rate exceeded.'), {
      name: 'Throttling',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    sesMock.on(SendRawEmailCommand).rejects(throttled);
    const mailer = new SesMailer({ client: new SESClient({ region: 'us-east-1' }) });

    // Act
    const sending = mailer.send(email);

    // Assess
    await expect(sending).rejects.toBeInstanceOf(MailSendError);
    await expect(sending).rejects.toMatchObject({ transient: true, code: 'Throttling' });
  });

  it('rejects a message SES will never take as not transient', async () => {
    sesMock
      .on(SendRawEmailCommand)
      .rejects(new MessageRejected({ message: 'Email address is not verified.', $metadata: { httpStatusCode: 400 } }));
    const mailer = new SesMailer({ client: new SESClient({ region: 'us-east-1' }) });

    await expect(mailer.send(email)).rejects.toMatchObject({ transient: false, code: 'MessageRejected' });
  });

  it('sends the composed message, the envelope sender and the one recipient, and the configuration set', async () => {
    sesMock.on(SendRawEmailCommand).resolves({ MessageId: 'ses-1' });
    const mailer = new SesMailer({ client: new SESClient({ region: 'us-east-1' }), configurationSet: 'newshound' });

    const result = await mailer.send(email);

    expect(result).toEqual({ messageId: 'ses-1' });
    expect(sesMock.commandCalls(SendRawEmailCommand)[0]?.args[0].input).toEqual({
      RawMessage: { Data: expect.any(Uint8Array) },
      Source: email.from,
      Destinations: [email.to],
      ConfigurationSetName: 'newshound',
    });
  });
});
