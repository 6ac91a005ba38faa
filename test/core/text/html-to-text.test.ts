import { describe, expect, it } from 'vitest';
import { HTML_MAX_DEPTH } from '../../../lambda/core/feed/entry-limits.ts';
import { htmlToText } from '../../../lambda/core/text/html-to-text.ts';

describe('htmlToText', () => {
  it('removes markup and decodes entities', () => {
    expect(htmlToText('<p>Hello &amp; <b>welcome</b> to Caf&eacute; &#x2014; &ldquo;Tokyo&rdquo;</p>')).toBe(
      'Hello & welcome to Café — “Tokyo”',
    );
  });

  it('drops scripts, styles and images, keeps link text without the URL', () => {
    const html = '<script>alert(1)</script><style>p{color:red}</style><img src="x.png" alt="pic"><a href="https://evil.example/">Read more</a>';
    expect(htmlToText(html)).toBe('Read more');
  });

  it('keeps heading case and does not wrap long lines', () => {
    const long = 'word '.repeat(60).trim();
    expect(htmlToText(`<h1>Unit 61419</h1><p>${long}</p>`)).toBe(`Unit 61419 ${long}`);
  });

  it('collapses every run of whitespace and separates blocks with one space', () => {
    expect(htmlToText('<ul><li>one</li><li>two</li></ul>\n\n<p>three</p><br/>four\t\tfive')).toBe('one two three four five');
  });

  it('leaves plain text alone', () => {
    expect(htmlToText('  JAXA   に サイバー攻撃 ')).toBe('JAXA に サイバー攻撃');
  });

  it('keeps the words of inline markup in order, with no space added inside a word', () => {
    expect(htmlToText('Example <b>Atom</b> feed: Caf<i>é</i> <a href="/x">Tokyo</a>')).toBe('Example Atom feed: Café Tokyo');
  });

  it(`stops at the first element nested deeper than ${HTML_MAX_DEPTH}, keeping the text before it`, () => {
    const html = `<p>Before the deep part ${'<span>'.repeat(50_000)}hidden${'</span>'.repeat(50_000)}</p>`;

    expect(htmlToText(html)).toBe('Before the deep part…');
  });

  it('reads markup nested exactly to the limit whole', () => {
    const html = `${'<span>'.repeat(HTML_MAX_DEPTH)}all of it${'</span>'.repeat(HTML_MAX_DEPTH)}`;

    expect(htmlToText(html)).toBe('all of it');
  });

  it('stops once it has as much text as it may keep, and says so with "…"', () => {
    const text = htmlToText(`<p>${'word '.repeat(1_000)}</p>`, 100);

    expect(text.length).toBeLessThanOrEqual(100);
    expect(text.length).toBeGreaterThan(95);
    expect(text).toMatch(/^(word )+wo?r?d?…$/);
  });
});
