import { SESClient } from '@aws-sdk/client-ses';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { messageBytes } from '../../../lambda/adapters/mail/build-mime.ts';
import type { OutgoingMessage } from '../../../lambda/core/ports/mailer.ts';
import { SesMailer } from '../../../lambda/adapters/mail/ses-mailer.ts';
import { renderDigest } from '../../../lambda/core/digest/render-digest.ts';
import { startSesEmulator, type SesEmulator } from '../../support/ses-emulator.ts';
import { makeHit, topics } from '../../core/digest/fixtures.ts';
import { headerValue, hrefs } from './mail-helpers.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const from = 'Newshound Alerts <alerts@example.com>';
const to = 'analyst@example.com';
const date = new Date('2026-11-28T23:00:00Z');
const unsubscribeUrl = 'https://alerts.example.com/unsubscribe?token=abc.def';

let ses: SesEmulator;

beforeAll(async () => {
  ses = await startSesEmulator();
});
afterAll(async () => {
  await ses?.stop();
});
beforeEach(async () => {
  await ses.clear();
});

function digestMessage(hits = [makeHit()]): OutgoingMessage {
  return { from, to, date, content: renderDigest({ to, timezone: 'Asia/Tokyo', hits, topics, now: date, unsubscribeUrl }) };
}

describe('SesMailer against aws-ses-v2-local (SES v1 SendRawEmail over HTTP)', () => {
  it('delivers the raw digest: the emulator parses back its subject, addresses, parts and links', async () => {
    // Prepare
    const client = new SESClient({ endpoint: ses.endpoint, region: 'us-east-1', credentials });
    const mailer = new SesMailer({ client });
    const hits = [
      makeHit({ storyKey: 'a' }),
      makeHit({ storyKey: 'b', title: '<script>alert(1)</script>\r\nBcc: evil@example.com', titleMarks: [], url: 'javascript:alert(1)' }),
    ];

    // Act
    const { messageId } = await mailer.send(digestMessage(hits));

    // Assess
    const emails = await ses.emails();
    expect(emails).toHaveLength(1);
    const [email] = emails;
    expect(email?.messageId).toBe(messageId);
    expect(email?.subject).toBe('2 new stories: JAXA');
    expect(email?.from).toBe('"Newshound Alerts" <alerts@example.com>');
    expect(email?.destination).toEqual({ to: [to], cc: [], bcc: [] });
    expect(email?.body.text).toContain('«JAXA» launches H3 rocket');
    expect(email?.body.text).toContain(`Unsubscribe: ${unsubscribeUrl}`);
    expect(hrefs(email?.body.html)).toEqual(['https://news.example.com/jaxa-launch?utm_source=rss', unsubscribeUrl]);
    expect(email?.body.html).toMatch(/<mark[^>]*>JAXA<\/mark>/);
    expect(email?.body.html).not.toMatch(/<script|javascript:/i);
  });

  it('hands SES the composed bytes, headers the emulator does not keep included', async () => {
    const mailer = new SesMailer({ client: new SESClient({ endpoint: ses.endpoint, region: 'us-east-1', credentials }) });
    const message = digestMessage();

    await mailer.send(message);

    expect(ses.rawMessages).toHaveLength(1);
    // The same composer as the outbox's: the same parts and headers (Message-ID and boundaries are random).
    const [sent, composed] = await Promise.all([simpleParser(ses.rawMessages[0]!), simpleParser(await messageBytes(message))]);
    expect({ subject: sent.subject, text: sent.text, html: sent.html }).toEqual({ subject: composed.subject, text: composed.text, html: composed.html });
    const mail = await simpleParser(ses.rawMessages[0]!);
    expect(headerValue(mail, 'X-Newshound-Items')).toBe('1');
    expect(headerValue(mail, 'List-Unsubscribe')).toBe(`<${unsubscribeUrl}>`);
    expect(headerValue(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.date?.toISOString()).toBe(date.toISOString());
  });

  it('uses AWS_ENDPOINT_URL_SES when no client is injected', async () => {
    // Prepare
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SES: ses.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    try {
      // Act
      await new SesMailer().send(digestMessage());
    } finally {
      process.env = saved;
    }

    // Assess
    expect((await ses.emails()).map((e) => e.subject)).toEqual(['1 new story: JAXA']);
  });
});
