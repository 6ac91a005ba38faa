// How markup becomes text (docs/feeds.md, "Text"): shared by escaped HTML and inline XHTML.

/** Elements whose content is never text a reader sees. */
export const SKIPPED_ELEMENTS = new Set([
  'script', 'style', 'noscript', 'iframe', 'template', 'head', 'object', 'embed', 'svg', 'math', 'select', 'canvas',
]);

/** Elements that start a new block: their text is kept apart from the text around them. */
export const BLOCK_ELEMENTS = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'caption', 'dd', 'details', 'div', 'dl', 'dt', 'figcaption',
  'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p',
  'pre', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'title', 'tr', 'ul',
]);
