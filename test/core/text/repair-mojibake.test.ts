import { describe, expect, it } from 'vitest';
import { repairMojibake } from '../../../lambda/core/text/repair-mojibake.ts';

// Double-encoded UTF-8: the UTF-8 bytes of a text read as windows-1252 and encoded to UTF-8 again.
const misread = (text: string) =>
  Buffer.from(text, 'utf8').reduce((s, b) => s + new TextDecoder('windows-1252').decode(Uint8Array.of(b)), '');

describe('repairMojibake', () => {
  it.each([['café'], ['don’t'], ['Crème brûlée – 2026'], ['宇宙航空研究開発機構'], ['“quoted” … €5']])('restores %s read twice', (text) => {
    expect(misread(text)).not.toBe(text);
    expect(repairMojibake(misread(text))).toBe(text);
  });

  it('restores text misread twice over', () => {
    expect(repairMojibake(misread(misread('naïve')))).toBe('naïve');
  });

  it.each([
    ['correct Latin-1 text', 'café crème à la carte'],
    ['plain ASCII', 'JAXA reports intrusion'],
    ['a misread part beside a correct é', `${misread('don’t')} café`],
    ['a misread part beside a kanji', `${misread('don’t')} 宇宙`],
    ['capitals that only look misread', 'ÃÂ'],
  ])('leaves %s alone', (_, text) => {
    expect(repairMojibake(text)).toBe(text);
  });
});
