import { describe, expect, it } from 'vitest';
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
});
