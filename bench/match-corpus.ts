// Deterministic corpus and topics for bench/match.ts: English and Japanese news-like items, and
// topic queries using every form of the query language. Seeded, so every run measures the same work.
import type { MatchDocument } from '../lambda/core/model.ts';
import { normalizeText } from '../lambda/core/text/normalize-text.ts';

export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EN_BASE = `the of and to in a is that for on with as by at from was are has have it this be an
police attack cyber hackers military unit group network security data agency government space research
company server password warrant arrest national investigation software ministry defense threat espionage
malware ransomware phishing breach vulnerability exploit campaign intelligence official report suspect
chinese japanese russian korean satellite rocket launch mission aerospace exploration institute
university student engineer prosecutors court sanctions election infrastructure airport railway energy
bank finance market trade export technology semiconductor supply chain backdoor loader implant domain`.split(/\s+/u);
const EN_PROPER = ['JAXA', 'NASA', 'ESA', 'PLA', 'Tick', 'BRONZE', 'BUTLER', 'Fujitsu', 'Interpol', 'Tokyo',
  'Beijing', 'Kyodo', 'NHK', 'Unit', 'APT10', 'Lazarus', 'Kato', 'Wang', 'Quad', 'CCP'];
const JA_BASE = `宇宙航空研究開発機構 警視庁 警察庁 人民解放軍 部隊 サイバー攻撃 不正アクセス 情報漏洩 容疑者 中国籍
書類送検 逮捕状 研究機関 防衛省 外務省 経済産業省 半導体 供給網 衛星 ロケット 打ち上げ 宇宙開発 企業 政府
ハッカー 集団 標的型攻撃 マルウェア ランサムウェア 脆弱性 通信 暗号 防衛 安全保障 日本 中国 米国 韓国 北朝鮮
東京 大阪 記者会見 首相 官房長官 発表 調査 捜査 事件 被害 対策 強化 国際 協力 同盟 技術 情報 機密 システム`.split(/\s+/u);
const KANJI = '国際政治経済社会科学技術情報通信安全保障防衛宇宙航空研究開発機構警察捜査事件被害対策強化協力同盟機密電子計算攻撃侵入検知解析報告会議';
const KANA = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモラリルレロワン';
const PARTICLES = ['は', 'が', 'を', 'に', 'の', 'で', 'と', 'への', 'から', 'による'];
const CATEGORIES = ['Security', 'Japan', 'World', 'Technology', 'Politics', '社会', '国際', '科学・文化', 'サイバー', 'Space'];

function pick<T>(list: readonly T[], r: () => number): T {
  return list[Math.floor(r() * list.length)] as T;
}
/** Skewed towards the head of the list, as word frequencies are. */
function pickZipf<T>(list: readonly T[], r: () => number): T {
  return list[Math.floor(r() ** 3 * list.length)] as T;
}

export interface Vocabulary {
  en: string[];
  ja: string[];
  /** Word pairs the corpus uses as set phrases, so that phrase topics find hits. */
  phrases: Array<[string, string]>;
}

export function makeVocabulary(seed = 1): Vocabulary {
  const r = prng(seed);
  const consonants = ['b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'br', 'st', 'tr', 'gr'];
  const vowels = ['a', 'e', 'i', 'o', 'u', 'ai', 'ou'];
  const syllable = () => `${pick(consonants, r)}${pick(vowels, r)}${r() < 0.3 ? pick(['n', 'r', 's', 'x'], r) : ''}`;
  const en = new Set(EN_BASE);
  while (en.size < 5000) en.add(Array.from({ length: 2 + Math.floor(r() * 3) }, syllable).join(''));
  const ja = new Set(JA_BASE);
  while (ja.size < 3000) {
    const kana = r() < 0.3;
    ja.add(Array.from({ length: 2 + Math.floor(r() * 3) }, () => pick([...(kana ? KANA : KANJI)], r)).join(''));
  }
  const enList = [...en];
  const phrases = Array.from({ length: 400 }, () => [pick(enList, r), pick(enList, r)] as [string, string]);
  return { en: enList, ja: [...ja], phrases };
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function englishSentence(v: Vocabulary, r: () => number): string {
  const words: string[] = [];
  const length = 8 + Math.floor(r() * 14);
  while (words.length < length) {
    const x = r();
    if (x < 0.03) words.push(...pick(v.phrases, r));
    else if (x < 0.04) words.push(pick(EN_PROPER, r));
    else if (x < 0.06) words.push(String(1000 + Math.floor(r() * 90000)));
    else words.push(pickZipf(v.en, r) + (r() < 0.08 ? pick([',', ';', ':', "'s"], r) : ''));
  }
  words[0] = capitalise(words[0] as string);
  return `${words.join(' ')}${pick(['.', '.', '.', '?', '!'], r)}`;
}

function japaneseSentence(v: Vocabulary, r: () => number): string {
  let s = '';
  const length = 5 + Math.floor(r() * 10);
  for (let i = 0; i < length; i++) {
    const x = r();
    if (x < 0.02) s += pick(EN_PROPER, r);
    else if (x < 0.05) s += String(Math.floor(r() * 90000));
    else if (x < 0.16) s += `「${pickZipf(v.ja, r)}」`;
    else s += pickZipf(v.ja, r);
    s += pick(PARTICLES, r);
    if (r() < 0.15) s += '、';
  }
  return `${s}${pick(['した。', 'する。', 'だ。', 'している。'], r)}`;
}

export function makeCorpus(count: number, v: Vocabulary, seed = 2): MatchDocument[] {
  const r = prng(seed);
  return Array.from({ length: count }, () => {
    const japanese = r() < 0.4;
    const sentence = () => (japanese ? japaneseSentence(v, r) : englishSentence(v, r));
    const title = sentence().replace(/[.。]$/u, '');
    const text = Array.from({ length: 3 + Math.floor(r() * 6) }, sentence).join(japanese ? '' : ' ');
    const categories = Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(CATEGORIES, r));
    // Some items arrive full-width, as Japanese feeds often write Latin letters and digits.
    const raw = japanese && r() < 0.2 ? toFullWidth(text) : text;
    return { title: normalizeText(title), text: normalizeText(raw), categories: categories.map(normalizeText) };
  });
}

function toFullWidth(text: string): string {
  return text.replace(/[A-Za-z0-9 ]/gu, (c) => (c === ' ' ? '\u3000' : String.fromCharCode(c.charCodeAt(0) + 0xfee0)));
}

function term(v: Vocabulary, r: () => number): string {
  const x = r();
  if (x < 0.3) return pick(v.en, r);
  if (x < 0.5) {
    let ja = pick(v.ja, r);
    while (ja.length < 3) ja = pick(v.ja, r); // two random kanji recur too often to be a realistic topic
    // Some CJK terms are parts of longer words: substring matching is the point.
    return ja.length > 3 && r() < 0.5 ? ja.slice(0, ja.length - 1) : ja;
  }
  if (x < 0.65) return `"${pick(v.phrases, r).join(' ')}"`;
  if (x < 0.75) {
    const w = pick(v.en, r);
    return `${w.length > 6 ? w.slice(0, w.length - 2) : w}*`;
  }
  if (x < 0.85) return `=${r() < 0.2 ? pick(EN_PROPER, r) : capitalise(pick(v.en, r))}`;
  if (x < 0.9) return `"${pick(EN_PROPER, r)} ${pick(v.en, r)}"`;
  if (x < 0.95) return `${pick(EN_PROPER, r)}${pick(PARTICLES, r)}`;
  return `="${capitalise(pick(v.phrases, r)[0])} ${pick(v.en, r)}"`;
}

export function makeTopics(count: number, v: Vocabulary, seed = 3): Array<{ id: string; query: string }> {
  const r = prng(seed + count);
  return Array.from({ length: count }, (_, i) => {
    const t = () => term(v, r);
    const x = r();
    let query: string;
    if (x < 0.25) query = t();
    else if (x < 0.5) query = `${t()} OR ${t()} OR ${t()}`;
    else if (x < 0.65) query = `${t()} ${t()}`;
    else if (x < 0.8) query = `${t()} -${t()}`;
    else if (x < 0.9) query = `(${t()} OR ${t()}) ${t()} NOT ${t()}`;
    else query = `${t()} AND (${t()} OR NOT ${t()})`;
    return { id: `topic-${i}`, query };
  });
}
