import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface Email {
  file: string;
  raw: string;
  mail: ParsedMail;
  html: string;
  text: string;
}

/** The .eml files of an outbox in sending order (their names sort so), parsed as a mail client would. */
export async function readOutbox(dir: string): Promise<Email[]> {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.eml') && !f.startsWith('.'))
    .sort();
  const emails: Email[] = [];
  for (const file of files) {
    const raw = readFileSync(join(dir, file));
    const mail = await simpleParser(raw);
    emails.push({ file, raw: raw.toString('utf8'), mail, html: typeof mail.html === 'string' ? mail.html : '', text: mail.text ?? '' });
  }
  return emails;
}

/** Emails that arrived since `before` (a previous readOutbox result). */
export async function newEmails(dir: string, before: readonly Email[]): Promise<Email[]> {
  const seen = new Set(before.map((e) => e.file));
  return (await readOutbox(dir)).filter((e) => !seen.has(e.file));
}

/** The text part as a reader sees it, without the «» that mark matched terms. */
export function plainText(email: Email): string {
  return email.text.replace(/[«»]/g, '');
}
