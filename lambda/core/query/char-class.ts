/**
 * Character classes behind word boundaries (docs/behaviour.md, Query language). A word character is a letter, digit or
 * combining mark; it is CJK when its script is Han, Hiragana, Katakana or Hangul, otherwise "Latin"
 * (which here means every other script, digits included). A boundary lies between a word character
 * and anything else, and between a Latin and a CJK word character.
 */
export const SEPARATOR = 0;
export const LATIN = 1;
export const CJK = 2;
/** Only in the BMP table: a high surrogate, whose class depends on the code unit after it. */
export const HIGH_SURROGATE = 3;
export type CharClass = typeof SEPARATOR | typeof LATIN | typeof CJK;

const WORD = /^[\p{L}\p{N}\p{M}]$/u;
// Script_Extensions for kana so that ー (U+30FC) and the voicing marks count as kana; the WORD test
// first keeps CJK punctuation such as 、。「 (which also carry those extensions) as separators.
const CJK_SCRIPT = /^[\p{sc=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{sc=Hangul}]$/u;

function classify(char: string): CharClass {
  if (!WORD.test(char)) return SEPARATOR;
  return CJK_SCRIPT.test(char) ? CJK : LATIN;
}

// One byte per BMP code unit, computed once: the tokenizer's inner loop is a table lookup.
const BMP = new Uint8Array(0x10000);
for (let c = 0x80; c < 0x10000; c++) {
  if (c >= 0xd800 && c <= 0xdfff) continue; // surrogates are classified as pairs, below
  BMP[c] = classify(String.fromCharCode(c));
}
for (let c = 0xd800; c <= 0xdbff; c++) BMP[c] = HIGH_SURROGATE;
for (let c = 0x30; c <= 0x39; c++) BMP[c] = LATIN;
for (let c = 0x41; c <= 0x5a; c++) BMP[c] = LATIN;
for (let c = 0x61; c <= 0x7a; c++) BMP[c] = LATIN;

const astral = new Map<number, CharClass>();

/** Class of the code point `cp` (any plane). */
export function classOfCodePoint(cp: number): CharClass {
  if (cp < 0x10000) return BMP[cp] as CharClass;
  let cls = astral.get(cp);
  if (cls === undefined) {
    cls = classify(String.fromCodePoint(cp));
    astral.set(cp, cls);
  }
  return cls;
}

/** Class of the BMP code unit `c`; HIGH_SURROGATE for those (callers pair them), low ones SEPARATOR. */
export const bmpClass = BMP;

/** Regex source fragments with the same meaning, for oracles and baselines (flag `u` required). */
export const LATIN_CHAR_RE = '(?:(?![\\p{sc=Han}\\p{scx=Hiragana}\\p{scx=Katakana}\\p{sc=Hangul}])[\\p{L}\\p{N}\\p{M}])';
export const CJK_CHAR_RE = '(?:(?=[\\p{L}\\p{N}\\p{M}])[\\p{sc=Han}\\p{scx=Hiragana}\\p{scx=Katakana}\\p{sc=Hangul}])';
export const SEPARATOR_RUN_RE = '[^\\p{L}\\p{N}\\p{M}]*';
