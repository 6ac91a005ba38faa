// Shared shapes passed between the pipeline stages. Everything here is plain data (JSON-safe).

/** One feed entry after parsing and normalization (NFKC, HTML→text, canonical link). */
export interface FeedEntry {
  /** Canonical identity (docs/behaviour.md, Dedupe): canonical link, else feedUrl + guid, else title + date. */
  key: string;
  /** Absolute link as published (for display and the digest's anchor); absent when the entry has none. */
  url?: string;
  /** Plain text, NFKC-normalized. */
  title: string;
  /** Summary or content: HTML removed, entities decoded, NFKC-normalized. */
  text: string;
  /** Category labels, NFKC-normalized. */
  categories: string[];
  /** ISO 8601 (UTC) publication or update time; absent when the entry had no readable date. */
  publishedAt?: string;
  guid?: string;
}

export interface ParsedFeed {
  /** The feed's own title (plain text), used when the config gives no name. */
  title?: string;
  /** Link to the site the feed belongs to, if given. */
  siteUrl?: string;
  entries: FeedEntry[];
  /**
   * Entries left out, never the whole feed: no link, guid or title; cut short by a broken
   * document; or a link too long to be real (docs/feeds.md, "Limits").
   */
  dropped: number;
  /**
   * Set when the document was not well-formed XML and was read tolerantly anyway: what was wrong,
   * in one line (e.g. `the document ends inside <rss>`). Complete entries were all kept.
   */
  repaired?: string;
  /** RSS 2.0 channel `<ttl>`: minutes the feed may be cached; a lower bound on polling (docs/scheduling.md). */
  ttlMinutes?: number;
  /** Minutes between updates the feed declares with sy:updatePeriod / sy:updateFrequency (docs/scheduling.md). */
  updateEveryMinutes?: number;
  /** The WebSub hubs and topic (`rel="self"`) the document names (docs/feeds.md, "Push (WebSub)"). */
  websub?: WebSubLinks;
}

/** WebSub discovery: at most a few http(s) hubs and the topic URL, each at most 2,048 characters. */
export interface WebSubLinks {
  hubs: string[];
  self?: string;
}

/** Which part of an entry a span lies in; offsets are UTF-16 indices into that field's string. */
export type MatchField = 'title' | 'text' | 'categories';

export interface MatchSpan {
  field: MatchField;
  /** For `categories`, the index of the category string the span lies in. */
  index?: number;
  start: number;
  end: number;
  /** The query term (as written in the query) that produced the span. */
  term: string;
}

export interface TopicMatch {
  topicId: string;
  /** Spans of the positive terms that made the query true (never spans of negated terms). */
  spans: MatchSpan[];
}

/** The text a matcher sees: fields already NFKC-normalized. */
export interface MatchDocument {
  title: string;
  text: string;
  categories: string[];
}
