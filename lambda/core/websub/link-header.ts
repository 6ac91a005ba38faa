// HTTP `Link` headers (RFC 8288 §3): `<uri-reference>; rel="hub self"; title="…"`, several links in
// one header separated by commas, quoted or bare parameter values. Only what WebSub discovery needs
// (docs/feeds.md, "Push (WebSub)"): each link's target, resolved against the response URL, and its
// relation types, lower-cased.

export interface HeaderLink {
  href: string;
  rels: string[];
}

/** Header text read at most: a server cannot make discovery cost more than this. */
const MAX_HEADER_CHARS = 16_384;

/**
 * Every link of the header values (in order), targets resolved against `base`; a link whose target
 * is not a URL is skipped, and so is the rest of a value that stops being a link list.
 */
export function parseLinkHeader(values: readonly string[], base: string): HeaderLink[] {
  const links: HeaderLink[] = [];
  for (const value of values) {
    const text = value.slice(0, MAX_HEADER_CHARS);
    let at = 0;
    while (at < text.length) {
      at = skip(text, at, ' \t,');
      if (text[at] !== '<') break;
      const close = text.indexOf('>', at + 1);
      if (close < 0) break;
      const target = text.slice(at + 1, close).trim();
      at = close + 1;
      const rels: string[] = [];
      // Parameters: `; name=value` or `; name="quoted \" value"` or a bare `; name`.
      for (;;) {
        at = skip(text, at, ' \t');
        if (text[at] !== ';') break;
        at = skip(text, at + 1, ' \t');
        const nameMatch = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+\*?/.exec(text.slice(at));
        if (!nameMatch) break;
        const name = nameMatch[0].toLowerCase();
        at = skip(text, at + nameMatch[0].length, ' \t');
        let paramValue = '';
        if (text[at] === '=') {
          at = skip(text, at + 1, ' \t');
          if (text[at] === '"') {
            const read = quoted(text, at);
            paramValue = read.value;
            at = read.end;
          } else {
            const bare = /^[^;,\s]*/.exec(text.slice(at))?.[0] ?? '';
            paramValue = bare;
            at += bare.length;
          }
        }
        // RFC 8288 §3.3: the first rel parameter counts; later ones are ignored.
        if (name === 'rel' && rels.length === 0) rels.push(...paramValue.toLowerCase().split(/[ \t]+/).filter((r) => r !== ''));
      }
      const href = resolve(target, base);
      if (href !== undefined) links.push({ href, rels });
      // Whatever else this link carried (an unreadable parameter) runs up to the next comma.
      const comma = nextComma(text, at);
      at = comma < 0 ? text.length : comma + 1;
    }
  }
  return links;
}

function skip(text: string, from: number, chars: string): number {
  let at = from;
  while (at < text.length && chars.includes(text[at] ?? '')) at += 1;
  return at;
}

/** A quoted-string starting at `from` (the opening quote): its value and the index after it. */
function quoted(text: string, from: number): { value: string; end: number } {
  let value = '';
  let at = from + 1;
  while (at < text.length && text[at] !== '"') {
    if (text[at] === '\\' && at + 1 < text.length) at += 1;
    value += text[at];
    at += 1;
  }
  return { value, end: Math.min(at + 1, text.length) };
}

/** The next comma outside a quoted string, or -1. */
function nextComma(text: string, from: number): number {
  let inQuote = false;
  for (let at = from; at < text.length; at += 1) {
    const c = text[at];
    if (inQuote && c === '\\') at += 1;
    else if (c === '"') inQuote = !inQuote;
    else if (c === ',' && !inQuote) return at;
  }
  return -1;
}

function resolve(target: string, base: string): string | undefined {
  try {
    return new URL(target, base).href;
  } catch {
    return undefined;
  }
}
