import { FeedError } from '../errors/feed-error.ts';

/**
 * The one external DTD reference that real feeds still carry (old Netscape RSS 0.91). It is only a
 * name to us: the XML parser never loads DTDs, so allowing it exposes nothing.
 */
const NETSCAPE_RSS_091 = '-//Netscape Communications//DTD RSS 0.91//EN';

/**
 * Refuses, without expanding anything, a document whose DOCTYPE declares entities or refers to an
 * external DTD (entity bombs such as billion laughs, and XXE). Only the prolog is examined: a
 * DOCTYPE is legal nowhere else, and the XML parser rejects one that appears later. Linear in the
 * prolog's length, so a bomb is refused in microseconds.
 */
export function assertSafeXml(xml: string): void {
  let i = 0;
  const n = xml.length;
  while (i < n) {
    const c = xml.charCodeAt(i);
    if (c === 0xfeff || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      i += 1;
    } else if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i + 2);
      if (end === -1) return;
      i = end + 2;
    } else if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end === -1) return;
      i = end + 3;
    } else if (xml.slice(i, i + 9).toUpperCase() === '<!DOCTYPE') {
      checkDoctype(xml, i + 9);
      return;
    } else {
      return; // the root element (or junk the parser will refuse as not a feed)
    }
  }
}

function checkDoctype(xml: string, from: number): void {
  // Everything up to the end of the internal subset, or up to the DOCTYPE's closing '>' if none.
  const open = xml.indexOf('[', from);
  const close = xml.indexOf('>', from);
  const hasSubset = open !== -1 && (close === -1 || open < close);
  const externalPart = xml.slice(from, hasSubset ? open : close === -1 ? xml.length : close);
  if (/\b(SYSTEM|PUBLIC)\b/.test(externalPart) && !externalPart.includes(NETSCAPE_RSS_091)) {
    throw new FeedError('unsafe-xml', 'the document refers to an external DTD');
  }
  if (hasSubset) {
    // Searching the whole rest of the document, not just up to the first ']', so a ']' hidden in
    // a quoted declaration cannot end the subset early and hide an entity behind it.
    const rest = xml.slice(open);
    if (/<!ENTITY/i.test(rest)) {
      throw new FeedError('unsafe-xml', 'the document declares XML entities');
    }
    const subsetEnd = rest.indexOf(']>');
    const subset = rest.slice(0, subsetEnd === -1 ? rest.length : subsetEnd);
    if (/%[A-Za-z_:]/.test(subset) || /\b(SYSTEM|PUBLIC)\b/.test(subset)) {
      throw new FeedError('unsafe-xml', 'the document refers to an external entity');
    }
  }
}
