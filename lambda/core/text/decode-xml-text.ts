import { decodeHTMLStrict } from 'entities';

/** Collects what was wrong with a document but read anyway (docs/feeds.md, "Broken documents"). */
export class RepairLog {
  private readonly notes: string[] = [];

  note(reason: string): void {
    // The first few distinct reasons say enough; a feed full of &nbsp; needs one line, not 10,000.
    if (this.notes.length < 3 && !this.notes.includes(reason)) this.notes.push(reason);
  }

  /** The reasons in one line, or undefined when the document needed no repair. */
  summary(): string | undefined {
    return this.notes.length === 0 ? undefined : this.notes.join('; ');
  }
}

const NAME = /^[A-Za-z][A-Za-z0-9]*$/;
const DECIMAL = /^#[0-9]{1,8}$/;
const HEX = /^#[xX][0-9A-Fa-f]{1,8}$/;

/**
 * XML character data to text: the five XML entities and character references are decoded as XML
 * does. What XML forbids is read as a browser reads it rather than losing the entry: an HTML
 * named entity (`&nbsp;`, `&eacute;`) is decoded as HTML defines it, a bare `&` is text, a
 * reference to a character XML does not allow is dropped. Each such repair is noted in `log`.
 * A plain loop over `&` rather than a RegExp replace: escaped HTML is full of references, and
 * this is several times faster on it.
 */
export function decodeXmlText(raw: string, log?: RepairLog): string {
  let i = raw.indexOf('&');
  if (i === -1) return raw;
  let text = '';
  let last = 0;
  for (; i !== -1; i = raw.indexOf('&', i + 1)) {
    const semi = raw.indexOf(';', i + 2);
    // The longest reference we read is `&#x` and 8 digits, or a 32-letter name.
    const replacement = semi === -1 || semi - i > 33 ? undefined : reference(raw, i, semi, log);
    if (replacement === undefined) {
      log?.note('a bare "&" (read as text)');
      continue;
    }
    text += raw.slice(last, i) + replacement;
    last = semi + 1;
    i = semi;
  }
  return text + raw.slice(last);
}

/** The text for the reference raw[amp..semi], or undefined when it is not a reference at all. */
function reference(raw: string, amp: number, semi: number, log: RepairLog | undefined): string | undefined {
  switch (semi - amp) {
    case 3:
      if (raw.charCodeAt(amp + 2) === 0x74 /* t */) {
        const c = raw.charCodeAt(amp + 1);
        if (c === 0x6c /* l */) return '<';
        if (c === 0x67 /* g */) return '>';
      }
      break;
    case 4:
      if (raw.startsWith('amp', amp + 1)) return '&';
      break;
    case 5:
      if (raw.startsWith('quot', amp + 1)) return '"';
      if (raw.startsWith('apos', amp + 1)) return "'";
      break;
  }
  const body = raw.slice(amp + 1, semi);
  if (DECIMAL.test(body)) return character(parseInt(body.slice(1), 10), body, log);
  if (HEX.test(body)) return character(parseInt(body.slice(2), 16), body, log);
  if (!NAME.test(body)) return undefined;
  const ref = `&${body};`;
  const html = decodeHTMLStrict(ref);
  if (html !== ref) {
    log?.note(`entity ${ref} is not defined in XML (read as HTML defines it)`);
    return html;
  }
  log?.note(`unknown entity ${ref} (kept as text)`);
  return ref;
}

/**
 * Windows-1252 characters by their byte in 0x80–0x9F. Feeds write `&#146;` for ’ because their
 * CMS thinks in windows-1252; HTML reads these references so, and so do we.
 */
const WINDOWS_1252_C1 = '€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8DŽ\x8F\x90‘’“”•–—˜™š›œ\x9DžŸ';

function character(cp: number, body: string, log: RepairLog | undefined): string {
  if (cp >= 0x80 && cp <= 0x9f) return WINDOWS_1252_C1[cp - 0x80] as string;
  const allowed =
    cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
  if (allowed) return String.fromCodePoint(cp);
  log?.note(`reference &${body}; to a character XML does not allow (dropped)`);
  return '';
}
