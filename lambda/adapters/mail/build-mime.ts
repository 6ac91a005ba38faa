import { randomUUID } from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { OutgoingMessage, RenderedMessage } from '../../core/ports/mailer.ts';

export interface MimeEnvelope {
  /** `Name <address>` or a bare address (config `mail.from`). */
  from: string;
  /** Exactly one recipient address. */
  to: string;
  /** The cycle clock: the Date header says when the cycle ran (`--now`), not when bytes were built. */
  date: Date;
  /** Right-hand side of the Message-ID; default: the From address's domain. */
  messageIdDomain?: string;
}

const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const HEADER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
/** Headers a digest may add; everything else (Bcc, Reply-To, Content-*) is ours to set or leave. */
const ALLOWED_EXTRA = new Set(['x-newshound-items', 'x-newshound-waiting', 'list-unsubscribe', 'list-unsubscribe-post', 'list-id']);

/**
 * A message (a digest, a confirmation) as RFC 5322 bytes: multipart/alternative (text, then HTML), UTF-8, composed by
 * nodemailer's MailComposer, which encodes and folds every header. On top of that, addresses are
 * checked here: a recipient string holding CR/LF or a second address (`a@x\r\nBcc: b@y` would
 * otherwise parse as a group holding b@y) is refused rather than "fixed".
 */
export async function buildMime(d: RenderedMessage, env: MimeEnvelope): Promise<Buffer> {
  const to = singleAddress(env.to, 'to');
  const from = singleAddress(env.from, 'from');
  if (Number.isNaN(env.date.getTime())) throw new Error('buildMime: invalid date');

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(d.headers)) {
    if (!HEADER_NAME.test(name) || !ALLOWED_EXTRA.has(name.toLowerCase())) {
      throw new Error(`buildMime: header ${JSON.stringify(name)} is not one a digest may set`);
    }
    headers[name] = oneLine(value);
  }
  const domain = env.messageIdDomain ?? from.address.split('@').pop() ?? 'newshound.invalid';

  const composer = new MailComposer({
    from: from.name ? { name: oneLine(from.name), address: from.address } : from.address,
    to: to.address,
    subject: oneLine(d.subject),
    date: env.date,
    messageId: `<${randomUUID()}@${domain.replace(/[^A-Za-z0-9.-]/g, '')}>`,
    text: d.text,
    html: d.html,
    headers,
  });
  return new Promise<Buffer>((resolve, reject) => {
    composer.compile().build((error, message) => (error ? reject(error) : resolve(message)));
  });
}

/** An outgoing message's bytes, as SES SendRawEmail gets them and the outbox keeps them. */
export function messageBytes(message: OutgoingMessage): Promise<Buffer> {
  return buildMime(message.content, { from: message.from, to: message.to, date: message.date });
}

function singleAddress(value: string, field: string): { name: string; address: string } {
  if (CONTROLS.test(value)) throw new Error(`buildMime: ${field} address holds control characters`);
  const parsed = addressparser(value);
  const only = parsed.length === 1 ? parsed[0] : undefined;
  if (!only || !('address' in only) || !only.address || 'group' in only) {
    throw new Error(`buildMime: ${field} must be exactly one address`);
  }
  if (!/^[^\s@<>"]+@[^\s@<>"]+$/.test(only.address)) throw new Error(`buildMime: ${field} address is not valid`);
  return { name: only.name ?? '', address: only.address };
}

/** Belt and braces: the renderer already gives single-line values. */
function oneLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}
