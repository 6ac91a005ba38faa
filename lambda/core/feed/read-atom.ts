import { httpLink, isAbsoluteHttpUrl, resolveLink, type RawEntry, type RawFeed } from './raw-entry.ts';
import { mediaDescription } from './media-rss.ts';
import { atomTextSource, type TextSource } from './text-source.ts';
import { readWebSubLinks } from './websub-links.ts';
import { attr, child, isIntact, textOf, type XmlElement } from './xml-tree.ts';

/** Atom 1.0 (RFC 4287) and Atom 0.3: `root` is `<feed>`. */
export function readAtom(root: XmlElement): RawFeed {
  const feed: RawFeed = { entries: [] };
  collectEntries(root, feed.entries);
  const title = child(root, 'atom', 'title');
  const titleSource = title ? atomTextSource(title) : undefined;
  if (titleSource) feed.title = titleSource;
  const siteUrl = alternateLink(root);
  if (siteUrl) feed.siteUrl = siteUrl;
  const websub = readWebSubLinks(root);
  if (websub) feed.websub = websub;
  return feed;
}

/** Entries of the feed, and entries a broken document left nested inside an unclosed one. */
function collectEntries(scope: XmlElement, out: RawEntry[]): void {
  for (const c of scope.children) {
    if (typeof c === 'string' || c.ns !== 'atom' || c.local !== 'entry') continue;
    out.push(readEntry(c));
    if (!c.complete) collectEntries(c, out);
  }
}

function readEntry(el: XmlElement): RawEntry {
  const entry: RawEntry = { dates: [], bodies: [], categories: [], complete: isIntact(el) };
  let published: string | undefined;
  let updated: string | undefined;
  let mediaBody: TextSource | undefined;
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (c.ns === 'media' && (c.local === 'group' || c.local === 'content' || c.local === 'description')) mediaBody ??= mediaDescription(c);
    if (c.ns !== 'atom') continue;
    switch (c.local) {
      case 'title':
        entry.title ??= atomTextSource(c);
        break;
      case 'id': {
        const id = textOf(c).trim();
        if (id !== '') entry.guid ??= id;
        break;
      }
      // Atom 0.3 names them issued and modified (and created).
      case 'published':
      case 'issued':
      case 'created':
        published ??= textOf(c);
        break;
      case 'updated':
      case 'modified':
        updated ??= textOf(c);
        break;
      case 'content':
      case 'summary': {
        const source = atomTextSource(c);
        if (source) entry.bodies.push(source);
        break;
      }
      case 'category': {
        const label = attr(c, 'term') ?? attr(c, 'label') ?? textOf(c);
        entry.categories.push(label);
        break;
      }
    }
  }
  if (mediaBody) entry.bodies.push(mediaBody);
  entry.dates = [published, updated].filter((d): d is string => d !== undefined);
  // Without an alternate link, an id that is an http(s) URL is the entry's address (as feedparser reads it).
  const link = alternateLink(el) ?? (entry.guid !== undefined && isAbsoluteHttpUrl(entry.guid) ? entry.guid.trim() : undefined);
  if (link !== undefined) entry.link = link;
  return entry;
}

/**
 * The `alternate` link (a link without `rel` is one), preferring an HTML page. Its URL is the
 * `href`, or the element's text when a feed writes `<link>URL</link>` as in RSS; relative URLs
 * resolve against the xml:base in effect on the link element.
 */
function alternateLink(el: XmlElement): string | undefined {
  let first: string | undefined;
  for (const c of el.children) {
    if (typeof c === 'string' || c.ns !== 'atom' || c.local !== 'link') continue;
    const rel = attr(c, 'rel')?.trim().toLowerCase() ?? 'alternate';
    if (rel !== 'alternate' && rel !== 'http://www.iana.org/assignments/relation/alternate') continue;
    const url = httpLink(resolveLink(attr(c, 'href') ?? textOf(c), c.base));
    if (url === undefined) continue;
    const type = attr(c, 'type')?.trim().toLowerCase();
    if (type === undefined || type === 'text/html' || type === 'application/xhtml+xml') return url;
    first ??= url;
  }
  return first;
}
