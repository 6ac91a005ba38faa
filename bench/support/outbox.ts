// Reads the outbox mailer's .eml files for the bench scripts, as a mail client would (mailparser).
import { readdirSync, readFileSync, existsSync, openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';

/** Finished emails (`*.eml`, not the mailer's `.name.eml.tmp` partial files), sorted by name. */
export function listEml(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.eml') && !f.startsWith('.'))
    .sort();
}

/** Partial files a killed mailer left behind (written under a temporary name, never renamed). */
export function listPartial(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.startsWith('.') && f.endsWith('.tmp'));
}

export interface ParsedEmail {
  file: string;
  to: string;
  date?: Date;
  /** The X-Newshound-Items header, when present. */
  items?: number;
  subject: string;
  text: string;
  html: string;
  bytes: number;
}

export async function parseEml(dir: string, file: string): Promise<ParsedEmail> {
  const raw = readFileSync(join(dir, file));
  const mail = await simpleParser(raw);
  const to = Array.isArray(mail.to) ? mail.to[0]?.value[0]?.address : mail.to?.value[0]?.address;
  const itemsHeader = mail.headers.get('x-newshound-items');
  return {
    file,
    to: (to ?? '').toLowerCase(),
    ...(mail.date ? { date: mail.date } : {}),
    ...(itemsHeader !== undefined ? { items: Number(itemsHeader) } : {}),
    subject: mail.subject ?? '',
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : '',
    bytes: raw.length,
  };
}

/**
 * The headers only (the first 64 KB, unfolded), for emails too big to parse whole in a bench run
 * (a 100,000-story digest). Keys are lower-cased.
 */
export function readHeaders(dir: string, file: string): Record<string, string> {
  const fd = openSync(join(dir, file), 'r');
  const buf = Buffer.alloc(64 * 1024);
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  const head = buf.subarray(0, n).toString('utf8').split(/\r?\n\r?\n/)[0] ?? '';
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return headers;
}
