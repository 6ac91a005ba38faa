import { BLOCK_ELEMENTS, SKIPPED_ELEMENTS } from '../text/html-elements.ts';
import { cut, htmlToText } from '../text/html-to-text.ts';
import { textOf, type XmlElement } from './xml-tree.ts';

/**
 * A piece of feed text and how to read it, decided once from the element it came from
 * (docs/feeds.md, "Text"): `plain` is shown as written (markup-looking text included), `html` is
 * escaped HTML, `tree` is markup inline in the XML (Atom xhtml, or raw HTML in an RSS element).
 */
export type TextSource =
  | { format: 'plain'; text: string }
  | { format: 'html'; text: string }
  | { format: 'tree'; el: XmlElement };

/** The source as one line of text (not yet NFKC-normalized), at most `maxChars` long. */
export function renderText(source: TextSource, maxChars: number): string {
  switch (source.format) {
    case 'plain':
      return cut(source.text.replace(/\s+/g, ' ').trim(), maxChars);
    case 'html':
      return htmlToText(source.text, maxChars);
    case 'tree':
      return cut(treeText(source.el).replace(/\s+/g, ' ').trim(), maxChars);
  }
}

/** An upper bound of the rendered length, to convert the longest body first (Infinity if unknown). */
export function rawLength(source: TextSource): number {
  return source.format === 'tree' ? Infinity : source.text.length;
}

function treeText(el: XmlElement): string {
  let text = '';
  for (const c of el.children) {
    if (typeof c === 'string') text += c;
    else if (SKIPPED_ELEMENTS.has(c.local)) continue;
    else if (BLOCK_ELEMENTS.has(c.local)) text += ` ${treeText(c)} `;
    else text += treeText(c);
  }
  return text;
}

/**
 * RSS says little about markup in titles; like feedparser, a title is read as HTML only when it
 * looks like HTML (an end tag, a self-closed tag or an entity reference). So `History of the
 * <blink> tag` stays as written while `Example <b>Atom</b>` and `Fish &amp; Chips` are decoded.
 */
const LOOKS_LIKE_HTML = /<\/[A-Za-z][\w:-]*\s*>|<[A-Za-z][\w:-]*[^<>]*\/>|&(?:#\d+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);/;

/** An RSS title, category or the like: raw markup in the element, escaped HTML, or plain text. */
export function rssTitleSource(el: XmlElement): TextSource {
  if (hasElements(el)) return { format: 'tree', el };
  const text = textOf(el);
  return LOOKS_LIKE_HTML.test(text) ? { format: 'html', text } : { format: 'plain', text };
}

/** An RSS description or content:encoded: HTML, escaped (the norm) or raw in the element. */
export function rssBodySource(el: XmlElement): TextSource {
  return hasElements(el) ? { format: 'tree', el } : { format: 'html', text: textOf(el) };
}

/**
 * An Atom text construct (RFC 4287 §3.1, content §4.1.3) or Atom 0.3 content (`type` a MIME type,
 * `mode` xml, escaped or base64). Returns undefined for content that is not text (an image in
 * base64, out-of-line content with `src`).
 */
export function atomTextSource(el: XmlElement): TextSource | undefined {
  if (el.attrs.src !== undefined) return undefined;
  const type = (el.attrs.type ?? 'text').trim().toLowerCase();
  const mode = el.attrs.mode?.trim().toLowerCase();
  if (mode === 'base64') return fromBase64(textOf(el), type);
  if (type === 'text' || type === 'text/plain') return hasElements(el) ? { format: 'tree', el } : { format: 'plain', text: textOf(el) };
  if (type === 'html' || type === 'text/html') {
    // Atom 0.3 in mode="xml" (the default) carries text/html as inline markup.
    return hasElements(el) ? { format: 'tree', el } : { format: 'html', text: textOf(el) };
  }
  if (type === 'xhtml' || type.endsWith('+xml') || type.endsWith('/xml')) {
    return mode === 'escaped' ? { format: 'html', text: textOf(el) } : { format: 'tree', el };
  }
  if (type.startsWith('text/')) return { format: 'plain', text: textOf(el) };
  // Any other media type is base64 (RFC 4287 §4.1.3.3): text only if it decodes to text.
  return fromBase64(textOf(el), type);
}

function fromBase64(encoded: string, type: string): TextSource | undefined {
  const isHtml = type === 'html' || type === 'text/html' || type === 'xhtml' || type.endsWith('+xml');
  if (!isHtml && type !== 'text' && !type.startsWith('text/')) return undefined;
  const bytes = Buffer.from(encoded.replace(/\s+/g, ''), 'base64');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined; // not UTF-8 text after all
  }
  return isHtml ? { format: 'html', text } : { format: 'plain', text };
}

function hasElements(el: XmlElement): boolean {
  for (const c of el.children) if (typeof c !== 'string') return true;
  return false;
}
