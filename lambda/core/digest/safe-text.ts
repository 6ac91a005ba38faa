// Feed-derived text reaches three places: HTML, the plain-text part and (never directly) headers.
// These helpers are the only way it gets there.

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and for quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

// C0/C1 controls, DEL, line/paragraph separators, and every bidi control (Unicode's Bidi_Control
// set: marks, embeddings, overrides, isolates), which can make a title display as something else.
// Each becomes one space, so highlight offsets stay valid. The digest and every terminal line built
// from feed text (the run summary, `newshound feeds`) go through here.
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Same length as the input: offsets computed on the original still apply. */
export function neutraliseControls(text: string): string {
  return text.replace(UNSAFE_CHARS, ' ');
}

/** One line, no controls, runs of whitespace collapsed: safe for a header or a list line. */
export function singleLine(text: string): string {
  return neutraliseControls(text).replace(/\s+/g, ' ').trim();
}

/**
 * The URL if it is absolute http(s), normalized by the WHATWG parser (which percent-encodes
 * spaces, quotes and angle brackets); otherwise undefined. `javascript:`, `data:`, `vbscript:`,
 * relative and unparsable links never become links.
 */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  // Credentials in a link are a phishing trick (https://bank.com@evil.example/), never news.
  if (parsed.username || parsed.password) return undefined;
  return parsed.href;
}
