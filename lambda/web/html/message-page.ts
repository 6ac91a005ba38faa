import { escapeHtml } from './escape.ts';
import { renderPage } from './layout.ts';

/** A page with a heading and plain-text paragraphs (all escaped), optionally a link home. */
export function messagePage(title: string, paragraphs: readonly string[], options: { linkHome?: boolean } = {}): string {
  const text = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  const home = options.linkHome ? '\n<p><a href="/">Go to the subscribe page</a></p>' : '';
  return renderPage({ title, body: `<h1>${escapeHtml(title)}</h1>\n${text}${home}` });
}
