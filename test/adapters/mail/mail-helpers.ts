import type { ParsedMail } from 'mailparser';

/** A header's value exactly as sent (unfolded), from the raw lines mailparser keeps. */
export function headerValue(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  if (line === undefined) return undefined;
  return line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
}

/** Header names as they appear in the raw header block, lower-cased. */
export function rawHeaderNames(raw: Buffer): string[] {
  const head = raw.toString('utf8').split('\r\n\r\n')[0] ?? '';
  return head
    .split('\r\n')
    .filter((line) => !/^[ \t]/.test(line))
    .map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
}

/** hrefs of the HTML part, entity-decoded, in document order. */
export function hrefs(html: string | false | undefined): string[] {
  return [...String(html || '').matchAll(/href="([^"]*)"/g)].map((m) => (m[1] ?? '').replaceAll('&amp;', '&'));
}
