import { FeedError } from '../errors/feed-error.ts';
import type { FeedEntry, ParsedFeed } from '../model.ts';
import { cleanText, normalizeEntry, safeHttpUrl } from './normalize-entry.ts';
import { BROKEN_ENTRY, ResilientParser, type RawItem } from './resilient-parser.ts';
import { assertSafeXml } from './xml-safety.ts';

/**
 * Parses an RSS 0.9x, RSS 1.0 (RDF), RSS 2.0 or Atom 1.0 document into normalised entries.
 * Throws FeedError `unsafe-xml` for entity declarations or external DTDs (before any parsing) and
 * `not-a-feed` for anything that is not one of those formats. A bad entry is dropped and counted;
 * it never fails the feed.
 */
export async function parseFeed(xml: string, feedUrl: string): Promise<ParsedFeed> {
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  assertSafeXml(text);

  let feed: { title?: unknown; link?: unknown; items?: RawItem[] };
  try {
    feed = await new ResilientParser().parseString(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new FeedError('not-a-feed', `not an RSS or Atom feed (${reason})`);
  }

  const entries: FeedEntry[] = [];
  let dropped = 0;
  for (const item of feed.items ?? []) {
    const entry = BROKEN_ENTRY in item ? undefined : normalizeEntry(item, feedUrl);
    if (entry === undefined) dropped += 1;
    else entries.push(entry);
  }

  const parsed: ParsedFeed = { entries, dropped };
  const title = cleanText(feed.title);
  if (title !== '') parsed.title = title;
  const siteUrl = safeHttpUrl(feed.link, feedUrl);
  if (siteUrl !== undefined) parsed.siteUrl = siteUrl;
  return parsed;
}
