import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
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
});
