// Every bound the feed reader applies, in one place so docs/feeds.md can list them. Whatever a feed
// holds, what we keep of it stays far below DynamoDB's 400 KB item limit.

/** A title longer than this is cut at a code-point boundary and ends with "…". */
export const TITLE_MAX_CHARS = 1_000;
/** Categories kept per entry (after removing duplicates), in document order. */
export const CATEGORIES_MAX = 50;
/** A category longer than this is cut like a title. */
export const CATEGORY_MAX_CHARS = 200;
/** An entry's text (summary or content, markup removed) is cut like a title beyond this. */
export const TEXT_MAX_CHARS = 100_000;
/** An entry whose link is longer than this is dropped (and counted): no real article URL is. */
export const LINK_MAX_CHARS = 2_048;
/** A guid longer than this is replaced by `sha256:` and the hex SHA-256 of it. */
export const GUID_MAX_CHARS = 1_024;
/**
 * An entry key longer than this many UTF-8 bytes becomes `sha256:` and the hex SHA-256 of it, so
 * the store's own key-part limit (500 bytes) never has to hash it again.
 */
export const KEY_MAX_BYTES = 500;

/** Raw XML nested deeper than this makes the feed `too-complex`. */
export const XML_MAX_DEPTH = 256;
/** A document with more elements than this is `too-complex`. */
export const XML_MAX_ELEMENTS = 120_000;
/** An element with more attributes than this makes the feed `too-complex`. */
export const XML_MAX_ATTRIBUTES = 1_000;
/**
 * One element's text (an escaped HTML body, say) is read up to this many characters of XML; the
 * rest is left out, as no more than TEXT_MAX_CHARS of its text would be kept anyway.
 */
export const XML_MAX_TEXT_CHARS = 1_000_000;
/**
 * HTML inside an entry (escaped in a description, or XHTML content) is read to this depth; the
 * text before the first deeper element is kept and the rest of that body is cut.
 */
export const HTML_MAX_DEPTH = 100;
/**
 * Reading one feed (XML and the HTML of its entries) may take this much time on the main thread
 * before the feed fails as `too-complex`. A well-formed 5 MB feed of 10,000 entries takes 0.25 to
 * 1 s on a busy 2-core machine; the counts above stop hostile documents long before this.
 */
export const FEED_PARSE_BUDGET_MS = 2_000;
