import { compile } from 'html-to-text';

// Compiled once: html-to-text builds its selector tables per options object, which is the slow part.
const convert = compile({
  wordwrap: false,
  preserveNewlines: false,
  decodeEntities: true,
  selectors: [
    // Link targets are noise for matching and snippets; the text of the link is kept.
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'noscript', format: 'skip' },
    { selector: 'iframe', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'h4', options: { uppercase: false } },
    { selector: 'h5', options: { uppercase: false } },
    { selector: 'h6', options: { uppercase: false } },
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block' },
    { selector: 'th', format: 'block', options: { uppercase: false } },
    { selector: 'td', format: 'block' },
    { selector: 'ul', options: { itemPrefix: ' ' } },
    { selector: 'ol', format: 'unorderedList', options: { itemPrefix: ' ' } },
    { selector: 'hr', format: 'skip' },
  ],
});

/**
 * Feed HTML (or plain text that may hold entities) to one line of plain text: markup removed,
 * entities decoded, scripts and styles dropped, every run of whitespace collapsed to one space.
 */
export function htmlToText(html: string): string {
  // Plain text without markup or entities is the common case for titles; skip the HTML parser.
  const text = /[<&]/.test(html) ? convert(html) : html;
  return text.replace(/\s+/g, ' ').trim();
}
