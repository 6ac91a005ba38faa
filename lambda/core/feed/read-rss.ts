import type { ParsedFeed } from '../model.ts';
import { ttlMinutes, updateEveryMinutes } from '../schedule/declared-interval.ts';
import { httpLink, isAbsoluteHttpUrl, resolveLink, type RawEntry, type RawFeed } from './raw-entry.ts';
import { rssBodySource, rssTitleSource, type TextSource } from './text-source.ts';
import { mediaDescription } from './media-rss.ts';
import { readWebSubLinks } from './websub-links.ts';
import { attr, child, isIntact, textOf, type XmlElement } from './xml-tree.ts';

/** A document's entries and title, and what its channel says of how often it changes (docs/scheduling.md). */
export type RawFeedWithHints = RawFeed & Pick<ParsedFeed, 'ttlMinutes' | 'updateEveryMinutes'>;

/** The RSS 1.0 Syndication module, which RSS 2.0 feeds (WordPress among them) use too. */
const SYNDICATION = 'http://purl.org/rss/1.0/modules/syndication/';

/**
 * RSS 0.90, 0.91, 0.92, 1.0 (RDF) and 2.0: `root` is `<rss>` or `<rdf:RDF>`. The vocabularies
 * share their element names (xml-tree.ts files RSS 1.0 and 0.90 elements under no namespace), so
 * one reader serves all of them; items sit under the channel (0.9x, 2.0) or beside it (RDF).
 */
export function readRss(root: XmlElement): RawFeedWithHints {
  const channel = child(root, '', 'channel');
  const feed: RawFeedWithHints = { entries: [] };
  for (const scope of channel ? [channel, root] : [root]) collectItems(scope, feed.entries);
  if (channel) {
    const title = child(channel, '', 'title');
    if (title) feed.title = rssTitleSource(title);
    // The site's link is the channel's plain `<link>URL</link>`, not a `<link rel="hub" href>` beside it.
    const link = channel.children.find((c): c is XmlElement => typeof c !== 'string' && c.ns === '' && c.local === 'link' && attr(c, 'rel') === undefined);
    const siteUrl = link ? resolveLink(textOf(link), link.base) : undefined;
    if (siteUrl) feed.siteUrl = siteUrl;
    readUpdateHints(root, channel, feed);
    const websub = readWebSubLinks(channel);
    if (websub) feed.websub = websub;
  }
  return feed;
}

/** `<ttl>` and sy:updatePeriod / sy:updateFrequency of the channel; sy:updateBase says nothing about how often. */
function readUpdateHints(root: XmlElement, channel: XmlElement, feed: RawFeedWithHints): void {
  const ttlElement = child(channel, '', 'ttl');
  const ttl = ttlMinutes(ttlElement && textOf(ttlElement));
  if (ttl !== undefined) feed.ttlMinutes = ttl;
  const sy = syndicationPrefix(root, channel);
  const period = child(channel, sy, 'updatePeriod');
  const frequency = child(channel, sy, 'updateFrequency');
  const every = updateEveryMinutes(period && textOf(period), frequency && textOf(frequency));
  if (every !== undefined) feed.updateEveryMinutes = every;
}

/**
 * The prefix the document binds to the Syndication module: the tree keeps an unknown vocabulary
 * under the prefix it was written with. `sy` unless declared otherwise on the root or the channel.
 */
function syndicationPrefix(...elements: XmlElement[]): string {
  for (const el of elements) {
    for (const [key, value] of Object.entries(el.attrs)) {
      if (key.startsWith('xmlns:') && value.trim() === SYNDICATION) return key.slice('xmlns:'.length);
    }
  }
  return 'sy';
}

/**
 * Items directly in `scope`, and items a broken document left nested inside an unclosed item
 * (an `<item>` missing its end tag swallows the items after it).
 */
function collectItems(scope: XmlElement, out: RawEntry[]): void {
  for (const c of scope.children) {
    if (typeof c === 'string' || c.ns !== '' || c.local !== 'item') continue;
    out.push(readItem(c));
    if (!c.complete) collectItems(c, out);
  }
}

function readItem(item: XmlElement): RawEntry {
  const entry: RawEntry = { dates: [], bodies: [], categories: [], complete: isIntact(item) };
  let link: string | undefined;
  let guidLink: string | undefined;
  let atomLink: string | undefined;
  let mediaBody: TextSource | undefined;
  for (const c of item.children) {
    if (typeof c === 'string') continue;
    if (c.ns === '') {
      switch (c.local) {
        case 'title':
          entry.title ??= rssTitleSource(c);
          break;
        case 'link':
          link ??= httpLink(resolveLink(textOf(c), c.base));
          break;
        case 'guid': {
          const guid = textOf(c).trim();
          if (guid === '') break;
          entry.guid ??= guid;
          // isPermaLink defaults to true (RSS 2.0): such a guid is the item's URL when it has no link.
          if (attr(c, 'isPermaLink')?.trim().toLowerCase() !== 'false' && isAbsoluteHttpUrl(guid)) guidLink ??= guid;
          break;
        }
        case 'description':
          entry.bodies.push(rssBodySource(c));
          break;
        case 'pubDate':
          entry.dates.push(textOf(c));
          break;
        case 'category':
          entry.categories.push(textOf(c));
          break;
      }
    } else if (c.ns === 'content' && c.local === 'encoded') {
      entry.bodies.push(rssBodySource(c));
    } else if (c.ns === 'dc' && (c.local === 'date' || c.local === 'created' || c.local === 'issued')) {
      entry.dates.push(textOf(c));
    } else if (c.ns === 'dcterms' && (c.local === 'created' || c.local === 'issued' || c.local === 'modified')) {
      entry.dates.push(textOf(c));
    } else if (c.ns === 'dc' && c.local === 'subject') {
      entry.categories.push(textOf(c));
    } else if (c.ns === 'dc' && c.local === 'title') {
      entry.title ??= rssTitleSource(c);
    } else if (c.ns === 'atom' && c.local === 'link') {
      const rel = attr(c, 'rel')?.trim() ?? 'alternate';
      if (rel === 'alternate') atomLink ??= httpLink(resolveLink(attr(c, 'href'), c.base));
    } else if (c.ns === 'itunes' && (c.local === 'summary' || c.local === 'subtitle')) {
      entry.bodies.push({ format: 'plain', text: textOf(c) });
    } else if (c.ns === 'media' && (c.local === 'group' || c.local === 'content' || c.local === 'description')) {
      mediaBody ??= mediaDescription(c);
    }
  }
  if (mediaBody) entry.bodies.push(mediaBody);
  const url = link ?? guidLink ?? atomLink ?? httpLink(resolveLink(attr(item, 'about'), item.base));
  if (url !== undefined) entry.link = url;
  return entry;
}
