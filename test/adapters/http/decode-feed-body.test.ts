import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { allLabels } from '../../../lambda/adapters/http/charset-labels.ts';
import { decodeFeedBody } from '../../../lambda/adapters/http/decode-feed-body.ts';

const xml = (encoding: string, body: string): string => `<?xml version="1.0" encoding="${encoding}"?><t>${body}</t>`;

describe('decodeFeedBody', () => {
  it('uses the Content-Type charset', () => {
    const bytes = iconv.encode('<t>日本語のニュース</t>', 'euc-jp');
    expect(decodeFeedBody(bytes, 'application/rss+xml; charset=EUC-JP').text).toBe('<t>日本語のニュース</t>');
  });

  it('uses the XML declaration when the header has no charset', () => {
    const text = xml('EUC-JP', '宇宙航空研究開発機構');
    expect(decodeFeedBody(iconv.encode(text, 'euc-jp'), 'text/xml').text).toBe(text);
  });

  it('decodes ISO-2022-JP', () => {
    const bytes = Buffer.from('<t>\x1b$BF|K\\\x1b(B</t>', 'latin1');
    expect(decodeFeedBody(bytes, 'text/xml; charset=ISO-2022-JP').text).toBe('<t>日本</t>');
  });

  it.each([['iso-8859-2', 'Łódź'], ['iso-8859-15', '€ œ'], ['windows-1252', '“quoted” café']])('decodes %s', (encoding, body) => {
    const text = xml(encoding, body);
    expect(decodeFeedBody(iconv.encode(text, encoding)).text).toBe(text);
  });

  it.each([
    ['utf-8', Buffer.from([0xef, 0xbb, 0xbf])],
    ['utf-16le', Buffer.from([0xff, 0xfe])],
    ['utf-16be', Buffer.from([0xfe, 0xff])],
  ])('follows a %s byte-order mark and strips it', (encoding, bom) => {
    const text = '<t>ＪＡＸＡ</t>';
    const body = encoding === 'utf-16be' ? Buffer.from(text, 'utf16le').swap16() : Buffer.from(text, encoding === 'utf-8' ? 'utf8' : 'utf16le');

    const decoded = decodeFeedBody(Buffer.concat([bom, body]), 'text/xml; charset=iso-8859-1');

    expect(decoded.text).toBe(text);
  });

  it('falls back to UTF-8 when nothing names the encoding', () => {
    expect(decodeFeedBody(Buffer.from('<t>Ünïcode ✓</t>')).text).toBe('<t>Ünïcode ✓</t>');
  });

  it('ignores a charset it does not know and goes on to the declaration', () => {
    const text = xml('Shift_JIS', 'ソフト');
    expect(decodeFeedBody(iconv.encode(text, 'cp932'), 'text/xml; charset=x-unknown').text).toBe(text);
  });

  // 0x93 and 0x94 are curly quotes in windows-1252 and C1 control characters in ISO-8859-1.
  const quoted = Buffer.from('<t>\x93Don\x92t\x94 \x96 caf\xe9</t>', 'latin1');

  it.each([['iso-8859-1'], ['ISO-8859-1'], ['latin1'], ['us-ascii'], ['iso_8859-1'], ['l1'], ['cp819']])(
    'reads the label %s as windows-1252, as browsers do',
    (label) => {
      expect(decodeFeedBody(quoted, `application/rss+xml; charset=${label}`).text).toBe('<t>“Don’t” – café</t>');
    },
  );

  it('reads an XML declaration of ISO-8859-1 as windows-1252 too', () => {
    const bytes = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>'), quoted]);
    expect(decodeFeedBody(bytes, 'text/xml').text).toContain('“Don’t” – café');
  });

  it('reads an XML declaration claiming UTF-16 in an ASCII-readable document as UTF-8', () => {
    const text = '<?xml version="1.0" encoding="UTF-16"?><t>café ✓</t>';
    expect(decodeFeedBody(Buffer.from(text)).text).toBe(text);
  });

  it.each([
    ['euc-kr', 'cp949', '서울 뉴스'],
    ['gb2312', 'gbk', '北京新闻'],
    ['tis-620', 'windows-874', 'ข่าว'],
    ['iso-8859-9', 'windows-1254', 'Türkçe haber'],
  ])('reads %s as the superset browsers use (%s)', (label, encoding, body) => {
    expect(decodeFeedBody(iconv.encode(`<t>${body}</t>`, encoding), `text/xml; charset=${label}`).text).toBe(`<t>${body}</t>`);
  });

  it.each([
    ['ISO8859_1', 'windows-1252', '“quoted” café'],
    ['Shift-JIS', 'cp932', '髙橋'],
    ['CP932', 'cp932', '髙橋'],
    ['UTF_8', 'utf8', '✓ ok'],
  ])('reads the label %s, which servers send though the standard spells it otherwise', (label, encoding, body) => {
    expect(decodeFeedBody(iconv.encode(`<t>${body}</t>`, encoding), `text/xml; charset=${label}`).text).toBe(`<t>${body}</t>`);
  });

  it('knows each charset label by the same encoding as Node’s WHATWG TextDecoder', () => {
    // ICU has no ISO-8859-16; the Encoding Standard lists it all the same.
    const checked = allLabels().filter(([label]) => label !== 'iso-8859-16');
    expect(checked.length).toBeGreaterThan(200);
    for (const [label, name] of checked) expect([label, new TextDecoder(label).encoding]).toEqual([label, name]);
  });
});
