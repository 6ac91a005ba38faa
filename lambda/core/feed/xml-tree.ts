import { Parser } from 'htmlparser2';
import { FeedError } from '../errors/feed-error.ts';
import { decodeXmlText, type RepairLog } from '../text/decode-xml-text.ts';
import { XML_MAX_ATTRIBUTES, XML_MAX_DEPTH, XML_MAX_ELEMENTS, XML_MAX_TEXT_CHARS } from './entry-limits.ts';
import type { ParseBudget } from './parse-budget.ts';

/** One element of a feed document, with its text and child elements in document order. */
export interface XmlElement {
  /**
   * The element's namespace by the name feeds conventionally give it (`atom`, `dc`, `content`,
   * `rdf`, `xhtml`, `media`, `itunes`, ...), whatever prefix the document used; '' for RSS
   * (0.9x, 1.0 and 2.0 elements alike) and for no namespace. An undeclared prefix stands for itself.
   */
  ns: string;
  local: string;
  /** Attribute values, entities decoded, under their names as written (`xml:base`, `rdf:about`). */
  attrs: Record<string, string>;
  children: Array<XmlElement | string>;
  /** The base URL for links inside: xml:base resolved against the parent's, the document URL at the top. */
  base: string;
  /** False when the element or anything in it was never properly closed (a truncated or broken document). */
  complete: boolean;
  /** Why the element has no end tag of its own: the document ended, or an ancestor's end tag closed it. */
  unclosed?: 'end-of-document' | 'by-ancestor';
}

/** Namespace URIs of feed vocabularies → the short names the readers use. */
const NAMESPACES: Record<string, string> = {
  'http://www.w3.org/2005/Atom': 'atom',
  'http://purl.org/atom/ns#': 'atom',
  'http://purl.org/rss/1.0/': '',
  'http://my.netscape.com/rdf/simple/0.9/': '',
  'http://backend.userland.com/rss2': '',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://www.w3.org/1999/xhtml': 'xhtml',
  'http://search.yahoo.com/mrss/': 'media',
  'http://search.yahoo.com/mrss': 'media',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://www.w3.org/XML/1998/namespace': 'xml',
};

type Scope = Record<string, string>;
const ROOT_SCOPE: Scope = Object.freeze({ xml: 'xml' }) as Scope;

/** Feeds are written in chunks of this size, checking the time budget between them. */
const CHUNK_CHARS = 256 * 1024;

interface Open {
  el: XmlElement;
  scope: Scope;
  /** Character data not yet decoded (an entity can straddle two chunks). */
  raw: string;
  /** Characters of text taken so far, to stop at XML_MAX_TEXT_CHARS. */
  taken: number;
}

/**
 * Reads a feed document into a tree, tolerantly (htmlparser2 in XML mode): a document broken near
 * its end, with a stray `&` or an HTML entity still yields everything that is complete, and what
 * was repaired is noted in `log`. Nesting deeper than XML_MAX_DEPTH, more than XML_MAX_ELEMENTS
 * elements or more than XML_MAX_ATTRIBUTES on one element throw FeedError `too-complex` at once;
 * an element's text beyond XML_MAX_TEXT_CHARS is left out.
 * Returns the root element, or undefined when the text holds no element at all.
 */
export async function readXmlTree(xml: string, documentUrl: string, budget: ParseBudget, log: RepairLog): Promise<XmlElement | undefined> {
  let root: XmlElement | undefined;
  const stack: Open[] = [];
  let elements = 0;
  let attributes = 0;
  let inCdata = false;
  let justOpened: XmlElement | undefined;
  let ended = false;

  const top = (): Open | undefined => stack[stack.length - 1];
  const flush = (open: Open): void => {
    if (open.raw === '') return;
    appendText(open.el, decodeXmlText(open.raw, log));
    open.raw = '';
  };

  const parser: Parser = new Parser(
    {
      onopentagname() {
        attributes = 0;
      },
      onattribute() {
        attributes += 1;
        if (attributes > XML_MAX_ATTRIBUTES) {
          throw new FeedError('too-complex', `an element has more than ${XML_MAX_ATTRIBUTES} attributes`);
        }
      },
      onopentag(name, rawAttrs) {
        elements += 1;
        if (elements > XML_MAX_ELEMENTS) throw new FeedError('too-complex', `more than ${XML_MAX_ELEMENTS} XML elements`);
        if (stack.length >= XML_MAX_DEPTH) throw new FeedError('too-complex', `XML nested deeper than ${XML_MAX_DEPTH} levels`);
        const parent = top();
        if (parent) flush(parent);
        const attrs: Record<string, string> = {};
        let scope = parent?.scope ?? ROOT_SCOPE;
        for (const key in rawAttrs) {
          const value = decodeXmlText(rawAttrs[key] as string, log);
          attrs[key] = value;
          if (key === 'xmlns' || key.startsWith('xmlns:')) {
            if (scope === (parent?.scope ?? ROOT_SCOPE)) scope = Object.create(scope) as Scope;
            const prefix = key === 'xmlns' ? '' : key.slice(6);
            // An unknown vocabulary keeps the prefix it was written with (or none).
            scope[prefix] = NAMESPACES[value.trim()] ?? prefix;
          }
        }
        const colon = name.indexOf(':');
        const prefix = colon === -1 ? '' : name.slice(0, colon);
        const parentBase = parent?.el.base ?? documentUrl;
        const el: XmlElement = {
          ns: scope[prefix] ?? prefix,
          local: colon === -1 ? name : name.slice(colon + 1),
          attrs,
          children: [],
          base: attrs['xml:base'] === undefined ? parentBase : resolveBase(attrs['xml:base'], parentBase),
          complete: true,
        };
        if (parent) parent.el.children.push(el);
        else root ??= el;
        stack.push({ el, scope, raw: '', taken: 0 });
        justOpened = el;
      },
      ontext(piece) {
        const open = top();
        if (open === undefined) return; // text outside the root element means nothing to a feed
        if (open.taken >= XML_MAX_TEXT_CHARS) return;
        const text = open.taken + piece.length > XML_MAX_TEXT_CHARS ? piece.slice(0, XML_MAX_TEXT_CHARS - open.taken) : piece;
        open.taken += text.length;
        if (inCdata) {
          flush(open);
          appendText(open.el, text);
        } else {
          open.raw += text;
        }
      },
      oncdatastart() {
        inCdata = true;
      },
      oncdataend() {
        inCdata = false;
      },
      onclosetag(name, implied) {
        const open = stack.pop();
        if (open === undefined) return;
        flush(open);
        const { el } = open;
        // htmlparser2 reports `<x/>` as an implied close too; only a real one leaves the element open.
        const selfClosed = el === justOpened && xml.charCodeAt(parser.endIndex - 1) === 0x2f;
        justOpened = undefined;
        if (implied && !selfClosed) {
          // At the end of input the innermost open element says where the document stopped.
          if (!ended || el.complete) log.note(ended ? `the document ends inside <${name}>` : `<${name}> is never closed`);
          el.complete = false;
          el.unclosed = ended ? 'end-of-document' : 'by-ancestor';
        }
        const parent = top();
        if (!el.complete && parent) parent.el.complete = false;
      },
    },
    { xmlMode: true, decodeEntities: false },
  );

  for (let i = 0; i < xml.length; i += CHUNK_CHARS) {
    parser.write(xml.slice(i, i + CHUNK_CHARS));
    await budget.step();
  }
  ended = true;
  parser.end();
  return root;
}

function appendText(el: XmlElement, text: string): void {
  if (text === '') return;
  const last = el.children.length - 1;
  if (last >= 0 && typeof el.children[last] === 'string') el.children[last] += text;
  else el.children.push(text);
}

function resolveBase(value: string, parentBase: string): string {
  try {
    return new URL(value.trim(), parentBase).href;
  } catch {
    return parentBase;
  }
}

/** The element's text with all markup inside it left out, in document order. */
export function textOf(el: XmlElement): string {
  const only = el.children.length === 1 ? el.children[0] : undefined;
  if (typeof only === 'string') return only;
  let text = '';
  for (const child of el.children) text += typeof child === 'string' ? child : textOf(child);
  return text;
}

/** The first child element with this namespace and local name. */
export function child(el: XmlElement, ns: string, local: string): XmlElement | undefined {
  for (const c of el.children) if (typeof c !== 'string' && c.local === local && c.ns === ns) return c;
  return undefined;
}

/** Every child element with this namespace and local name. */
export function children(el: XmlElement, ns: string, local: string): XmlElement[] {
  const found: XmlElement[] = [];
  for (const c of el.children) if (typeof c !== 'string' && c.local === local && c.ns === ns) found.push(c);
  return found;
}

/** An attribute by its local name, whatever prefix it was written with (`about`, `rdf:about`). */
export function attr(el: XmlElement, local: string): string | undefined {
  const direct = el.attrs[local];
  if (direct !== undefined) return direct;
  for (const key in el.attrs) if (key.endsWith(`:${local}`) && !key.startsWith('xmlns')) return el.attrs[key];
  return undefined;
}

/**
 * Whether an entry can be trusted: everything in it was closed by its own end tag. The entry's own
 * end tag may be missing when an ancestor's end tag shows where it stopped (a common slip: the next
 * entries then sit inside it, and are read as entries of their own), but not when the document
 * ended inside it, since its last field may be cut short.
 */
export function isIntact(entry: XmlElement): boolean {
  if (entry.unclosed === 'end-of-document') return false;
  for (const c of entry.children) {
    if (typeof c !== 'string' && !c.complete && !(c.ns === entry.ns && c.local === entry.local)) return false;
  }
  return true;
}
