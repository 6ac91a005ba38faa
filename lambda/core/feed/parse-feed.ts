import { FeedError } from '../errors/feed-error.ts';
import type { FeedEntry, ParsedFeed } from '../model.ts';
import { RepairLog } from '../text/decode-xml-text.ts';
import { TITLE_MAX_CHARS } from './entry-limits.ts';
import { normalizeEntry, sourceText } from './normalize-entry.ts';
import { ParseBudget } from './parse-budget.ts';
import { readAtom } from './read-atom.ts';
import { type RawFeedWithHints, readRss } from './read-rss.ts';
import { assertSafeXml } from './xml-safety.ts';
import { readXmlTree, type XmlElement } from './xml-tree.ts';

/**
 * Parses an RSS 0.9x, RSS 1.0 (RDF), RSS 2.0, Atom 0.3 or Atom 1.0 document into normalized,
 * bounded entries (docs/feeds.md). Throws FeedError `unsafe-xml` for entity declarations or
 * external DTDs (before any parsing), `too-complex` for a document over the parse budget, and
 * `not-a-feed` for anything that is not one of those formats. A bad entry is dropped and counted;
 * it never fails the feed. A document that is not well-formed is read as far as it goes and says
 * so in `repaired`.
 */
export async function parseFeed(xml: string, feedUrl: string, budget = new ParseBudget()): Promise<ParsedFeed> {
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  assertSafeXml(text);

  const log = new RepairLog();
  const root = await readXmlTree(text, feedUrl, budget, log);
  const raw = readDocument(root);

  const entries: FeedEntry[] = [];
  let dropped = 0;
  for (const item of raw.entries) {
    const entry = normalizeEntry(item, feedUrl);
    if (typeof entry === 'string') dropped += 1;
    else entries.push(entry);
    await budget.step();
  }

  const parsed: ParsedFeed = { entries, dropped };
  const title = sourceText(raw.title, TITLE_MAX_CHARS);
  if (title !== '') parsed.title = title;
  if (raw.siteUrl !== undefined) parsed.siteUrl = raw.siteUrl;
  const repaired = log.summary();
  if (repaired !== undefined) parsed.repaired = repaired;
  if (raw.ttlMinutes !== undefined) parsed.ttlMinutes = raw.ttlMinutes;
  if (raw.updateEveryMinutes !== undefined) parsed.updateEveryMinutes = raw.updateEveryMinutes;
  if (raw.websub !== undefined) parsed.websub = raw.websub;
  return parsed;
}

function readDocument(root: XmlElement | undefined): RawFeedWithHints {
  if (root === undefined) throw new FeedError('not-a-feed', 'not an RSS or Atom feed (no XML element found)');
  if (root.local === 'rss' || (root.local === 'RDF' && root.ns === 'rdf')) return readRss(root);
  if (root.local === 'feed' && root.ns === 'atom') return readAtom(root);
  const name = root.ns === '' ? root.local : `${root.ns}:${root.local}`;
  throw new FeedError('not-a-feed', `not an RSS or Atom feed (the document is <${name}>)`);
}
