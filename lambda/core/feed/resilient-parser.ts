import Parser from 'rss-parser';

/** xml2js output: elements as arrays, text as `_`, attributes as `$`. */
export type RawXml = Record<string, unknown>;
export type RawItem = Record<string, unknown>;

/** Marks an entry rss-parser could not build at all; it is dropped and counted, never the feed. */
export const BROKEN_ENTRY = Symbol('broken-entry');

interface ParserInternals {
  parseItemAtom(entry: RawXml): RawItem;
  parseItemRss(xmlItem: RawXml, itemFields: unknown[]): RawItem;
}

const Base = Parser as unknown as new (options: Parser.ParserOptions<RawXml, RawItem>) => Parser<
  RawXml,
  RawItem
> &
  ParserInternals;

function attr(node: unknown, name: string): string | undefined {
  const attrs = (node as { $?: Record<string, unknown> } | undefined)?.$;
  const value = attrs?.[name];
  return typeof value === 'string' ? value : undefined;
}

function textOf(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  const text = (node as { _?: unknown } | undefined)?._;
  return typeof text === 'string' ? text : undefined;
}

/**
 * rss-parser with per-entry fault isolation. Upstream builds every entry inside one callback, so a
 * single Atom entry with an unreadable date (`new Date('junk').toISOString()` throws) fails the
 * whole feed; here that entry is rebuilt without its dates, and any other failure drops only that
 * entry. Also collects Atom `category/@term` and RSS 1.0 `dc:subject`, which upstream ignores.
 */
export class ResilientParser extends Base {
  constructor() {
    // Feeds without a version attribute are read as RSS 2.0, the most common dialect.
    super({ defaultRSS: 2, customFields: { item: [['dc:subject', 'dcSubjects', { keepArray: true }]] } });
  }

  override parseItemAtom(entry: RawXml): RawItem {
    const attempts: RawXml[] = [entry, { ...entry, published: undefined }, { ...entry, published: undefined, updated: undefined }];
    for (const attempt of attempts) {
      try {
        const item = super.parseItemAtom(attempt);
        const categories = Array.isArray(entry.category) ? entry.category : [];
        item.categories = categories.map((c) => attr(c, 'term') ?? attr(c, 'label')).filter(Boolean);
        return item;
      } catch {
        // next attempt: the same entry with fewer (possibly unreadable) dates
      }
    }
    return { [BROKEN_ENTRY]: true };
  }

  override parseItemRss(xmlItem: RawXml, itemFields: unknown[]): RawItem {
    try {
      const item = super.parseItemRss(xmlItem, itemFields);
      const subjects = Array.isArray(item.dcSubjects) ? item.dcSubjects.map(textOf) : [];
      const categories = Array.isArray(item.categories) ? item.categories.map(textOf) : [];
      item.categories = [...categories, ...subjects].filter(Boolean);
      return item;
    } catch {
      return { [BROKEN_ENTRY]: true };
    }
  }
}
