// Personal-alert queries and news items as subscribers write and feeds carry them, for bench/alerts.ts
// and bench/match.ts: real words (security, politics, space, markets), places, companies, agencies,
// threat groups, people, Japanese and Chinese terms; queries with phrases, prefixes, case-sensitive
// terms, AND/OR/NOT and parentheses. Seeded (bench/support/prng.ts), so every run measures the same work.
import type { MatchDocument } from '../../lambda/core/model.ts';
import { parseQuery } from '../../lambda/core/query/parse-query.ts';
import { normalizeText } from '../../lambda/core/text/normalize-text.ts';
import { seededRng, type Rng } from './prng.ts';

const words = (text: string): string[] => text.trim().split(/\s+/u);

const SECURITY = words(`ransomware malware phishing breach vulnerability exploit zero-day backdoor botnet
spyware trojan wiper rootkit keylogger credential password leak espionage hacker hackers intrusion
firewall encryption patch advisory CVE supply-chain ddos outage sanctions indictment arrest extradition
warrant prosecutors investigation cyberattack cybersecurity infostealer loader implant beacon c2
exfiltration attribution APT phishing-kit deepfake disinformation propaganda surveillance censorship
stalkerware cryptojacking skimmer smishing vishing typosquatting watering-hole sandbox honeypot
authentication MFA passkey SIM-swap insider whistleblower audit compliance GDPR privacy fine penalty`);
const NEWS = words(`government ministry minister president prime parliament election vote court ruling law bill
policy budget tax tariff trade export import embargo summit treaty alliance military army navy air force
missile drone satellite rocket launch mission orbit lunar mars station astronaut spacecraft probe
earthquake tsunami typhoon flood wildfire drought heatwave climate emissions carbon nuclear reactor
energy oil gas pipeline grid blackout semiconductor chip chips foundry battery electric vehicle EV
recall merger acquisition layoffs earnings profit loss shares stock market bond inflation interest
rates central bank currency yen dollar yuan euro startup funding IPO bankruptcy lawsuit antitrust
regulator data center cloud AI model chatbot robot quantum telecom 5G 6G broadband cable subsea
airport railway port shipping container freight logistics pandemic vaccine outbreak hospital health
refugee migration border protest strike union wages unemployment housing tourism festival scandal
resignation bribery corruption fraud embezzlement smuggling trafficking terrorism hostage ceasefire
invasion occupation offensive troops casualties humanitarian aid reconstruction diplomat embassy`);
const PLACES = words(`Japan China Taiwan Korea Russia Ukraine Iran Israel India Pakistan Vietnam Philippines
Indonesia Australia Germany France Britain Italy Spain Poland Netherlands Sweden Finland Norway Turkey
Egypt Nigeria Kenya Brazil Mexico Canada Argentina Chile Tokyo Osaka Kyoto Nagoya Fukuoka Sapporo
Okinawa Hokkaido Beijing Shanghai Shenzhen Guangzhou Wuhan Hong-Kong Taipei Seoul Pyongyang Moscow Kyiv
Tehran Delhi Mumbai Singapore Jakarta Manila Hanoi Sydney Berlin Paris London Brussels Washington
Geneva Vienna Warsaw Stockholm Helsinki Ankara Cairo Lagos Nairobi Toronto Ottawa Brasilia Pacific
Atlantic Arctic Baltic Crimea Donbas Gaza Xinjiang Tibet Senkaku Kuril`);
const ORGS = words(`JAXA NASA ESA ISRO CNSA Roscosmos SpaceX Blue-Origin NATO UN WHO IMF WTO OECD ASEAN
G7 G20 EU Interpol Europol FBI CIA NSA CISA GCHQ NCSC MI5 MI6 BND DGSE Mossad PLA IRGC SDF JSDF METI
MOFA NPA MIC BOJ FSA SEC FTC DOJ Pentagon Kremlin Microsoft Google Apple Amazon Meta Nvidia Intel AMD
TSMC Samsung Huawei ZTE Xiaomi Alibaba Tencent Baidu ByteDance TikTok Sony Toyota Honda Nissan
Panasonic Fujitsu NEC Hitachi Toshiba Mitsubishi SoftBank Rakuten NTT KDDI Docomo Nintendo Canon
Tesla Boeing Airbus Lockheed Raytheon Siemens Ericsson Nokia Cisco Fortinet Ivanti Citrix VMware
Oracle SAP Salesforce OpenAI Anthropic CrowdStrike Mandiant Kaspersky ESET Trend-Micro Palo-Alto
Cloudflare Akamai GitHub Okta Zscaler SolarWinds Accenture Deloitte Reuters Kyodo NHK Nikkei Xinhua`);
/** Threat groups and campaigns, as vendors and agencies name them; case matters for some. */
const ACTORS = words(`Tick BRONZE-BUTLER APT10 APT40 APT41 APT29 APT28 Lazarus Kimsuky Andariel BlackTech
MirrorFace Volt-Typhoon Salt-Typhoon Flax-Typhoon Sandworm Turla Gamaredon LockBit BlackCat ALPHV
Cl0p Akira Play Rhysida Medusa Scattered-Spider LAPSUS Conti REvil Emotet Qakbot IcedID Cobalt-Strike
PlugX ShadowPad Winnti Earth-Kasha Earth-Lusca Hafnium Nobelium Unit-61419 Unit-61398 Unit-8200`);
const FIRST = words(`Shinzo Fumio Shigeru Yoshihide Sanae Taro Kenji Hiroshi Yuki Akira Xi Li Wang Zhang
Vladimir Volodymyr Joe Donald Kamala Emmanuel Olaf Keir Rishi Ursula Narendra Anthony Jake Antonio
Kim Yoon Lee Moon Ishiba Kishida Elon Sam Satya Sundar Tim Jensen Lisa Mark Jeff Bill Masayoshi`);
const LAST = words(`Abe Kishida Ishiba Suga Takaichi Kono Motegi Hayashi Kato Suzuki Tanaka Sato Takahashi
Watanabe Ito Yamamoto Nakamura Kobayashi Yoshida Jinping Qiang Yi Putin Zelensky Biden Trump Harris
Macron Scholz Starmer Sunak Leyen Modi Blinken Sullivan Guterres Jong-un Suk-yeol Jae-myung Musk
Altman Nadella Pichai Cook Huang Su Zuckerberg Bezos Gates Son Yamada Inoue Kimura Hayashi Shimizu`);
const JAPANESE = words(`宇宙航空研究開発機構 サイバー攻撃 不正アクセス 情報漏洩 個人情報 ランサムウェア 標的型攻撃
マルウェア 脆弱性 警視庁 警察庁 防衛省 外務省 経済産業省 総務省 内閣官房 国家安全保障 人民解放軍
中国 日本 米国 韓国 北朝鮮 台湾 ロシア ウクライナ 東京 大阪 沖縄 北海道 尖閣諸島 半導体 供給網 衛星
ロケット 打ち上げ 宇宙開発 はやぶさ 月面着陸 地震 津波 台風 豪雨 原発 再稼働 選挙 首相 官房長官
記者会見 国会 予算 円安 日銀 利上げ 株価 決算 買収 合併 自動車 電気自動車 生成AI 量子 通信障害
逮捕 書類送検 容疑者 捜査 事件 被害 対策 強化 同盟 安全保障 防衛費 ミサイル 発射 领土 演習 制裁
トヨタ ソニー 富士通 日立 東芝 三菱重工 ソフトバンク 楽天 任天堂 パナソニック`);
const CHINESE = words(`网络攻击 黑客 数据泄露 勒索软件 国家安全 人民解放军 台湾 美国 日本 俄罗斯 半导体
芯片 出口管制 关税 贸易战 一带一路 航天 卫星 火箭 嫦娥 天宫 北斗 华为 中兴 字节跳动 阿里巴巴 腾讯
外交部 国务院 习近平 李强 王毅 新疆 西藏 香港 南海 东海 钓鱼岛 演习 导弹 无人机 人工智能 大模型`);
const CATEGORIES = ['Security', 'World', 'Japan', 'Asia', 'Technology', 'Business', 'Politics', 'Science', 'Space', 'Markets',
  '社会', '国際', '政治', '経済', '科学・技術', 'サイバー', '科技', '国际'];

/** Generic English, the glue of every sentence (never a query term on its own). */
const GLUE = words(`the of and to in a is that for on with as by at from was are has have it this be an
said says after over new more than its their which who will would could also about into two three
first last year week on Monday on Tuesday officials according report reported statement told people
while during since before against between under amid following`);

const SUFFIX = ['Systems', 'Holdings', 'Labs', 'Technologies', 'Networks', 'Security', 'Dynamics', 'Industries', 'Group', 'Electric'];
const STEM = words(`Nor Kes Tal Ver Ari Sol Mer Cor Pax Lum Vel Ori Zen Bri Cas Dor Ely Fen Gal Hal Ion Jun Kai Lyr Mon Nex Oka Pyr Qua Ryo Sak`);
const END = words(`tek tex ion ara ent ix ora ex on is ica um ant ova ium ado ano era`);

export interface NewsVocabulary {
  /** Common subject words (ransomware, election, recall), shuffled; written beside an entity. */
  en: string[];
  /** Proper names, some case-sensitive in queries (`=Tick`). */
  names: string[];
  /** Multi-word names that occur in the text ("Volt Typhoon", "Fumio Kishida", "Kestex Labs"). */
  phrases: string[];
  /** Japanese and Chinese words and compounds, no spaces between them in running text. */
  cjk: string[];
}

/** Hyphenated names are written as two words in text and as a phrase in queries. */
const spaced = (w: string) => w.replace(/-/g, ' ');

/**
 * The realistic vocabulary plus a long tail: made-up company names, person names from real first
 * and last names, place-or-organisation + subject pairs, CJK compounds, as a 10,000-subscriber list
 * would write them (thousands of distinct terms).
 */
export function newsVocabulary(seed = 11): NewsVocabulary {
  const rng = seededRng(seed);
  const companies = new Set<string>();
  while (companies.size < 3000) companies.add(`${rng.pick(STEM)}${rng.pick(END)} ${rng.pick(SUFFIX)}`);
  const people = new Set<string>();
  while (people.size < 2000) people.add(`${rng.pick(FIRST)} ${rng.pick(LAST)}`);
  const single = [...SECURITY, ...NEWS].filter((w) => !w.includes('-'));
  const hyphened = [...SECURITY, ...NEWS, ...PLACES, ...ORGS, ...ACTORS].filter((w) => w.includes('-')).map(spaced);
  const pairs = new Set<string>();
  while (pairs.size < 3000) pairs.add(`${spaced(rng.pick([...PLACES, ...ORGS]))} ${rng.pick(single)}`);
  const cjkWords = [...JAPANESE, ...CHINESE];
  const compounds = new Set<string>();
  while (compounds.size < 1500) compounds.add(`${rng.pick(cjkWords)}${rng.pick(cjkWords)}`);
  return {
    en: rng.sample(single, single.length),
    names: rng.sample(
      [...PLACES, ...ORGS, ...ACTORS].filter((w) => !w.includes('-')),
      Number.POSITIVE_INFINITY,
    ),
    phrases: rng.sample([...hyphened, ...companies, ...people, ...pairs], Number.POSITIVE_INFINITY),
    cjk: [...cjkWords, ...compounds],
  };
}

/** Skewed towards the head of the list, as word frequencies are. */
const zipf = <T>(rng: Rng, list: readonly T[], skew = 2): T => list[Math.floor(rng() ** skew * list.length)] as T;

/** What an alert is about: a name, a multi-word name, a CJK word, a prefix, a case-sensitive name. */
function entity(v: NewsVocabulary, rng: Rng): string {
  const x = rng();
  // Acronyms are written case-sensitive, as a user soon learns: WHO is not "who".
  const name = () => {
    const w = zipf(rng, v.names, 1.1);
    return /^[A-Z0-9]{2,4}$/.test(w) ? `=${w}` : w;
  };
  if (x < 0.15) return name();
  if (x < 0.6) return `"${zipf(rng, v.phrases, 1.2)}"`;
  if (x < 0.8) return zipf(rng, v.cjk, 1.1);
  if (x < 0.9) {
    const w = name();
    return /^[A-Za-z]{7,}$/.test(w) ? `${w.slice(0, w.length - 2).toLowerCase()}*` : w;
  }
  if (x < 0.97) return `=${zipf(rng, v.names, 1.1)}`;
  return `="${zipf(rng, v.phrases, 1.2)}"`;
}

/** A subject word written beside an entity (`Toyota recall`), sometimes as a prefix (`hack*`). */
function subject(v: NewsVocabulary, rng: Rng): string {
  const w = zipf(rng, v.en);
  return rng() < 0.2 && w.length >= 8 ? `${w.slice(0, w.length - 3)}*` : w;
}

/** A query in one of the shapes people write: a name, alternatives, all of, with exclusions. */
function query(v: NewsVocabulary, rng: Rng): string {
  const e = () => entity(v, rng);
  const s = () => subject(v, rng);
  const x = rng();
  if (x < 0.01) return s();
  if (x < 0.27) return e();
  if (x < 0.45) return `${e()} OR ${e()} OR ${e()}`;
  if (x < 0.6) return `${e()} ${s()}`;
  if (x < 0.67) return `${e()} AND ${e()}`;
  if (x < 0.75) return `${e()} -${s()}`;
  if (x < 0.85) return `(${e()} OR ${e()}) ${s()} NOT ${s()}`;
  if (x < 0.95) return `${e()} AND (${s()} OR ${s()} OR NOT ${e()})`;
  return `(${e()} OR ${e()} OR ${e()}) (${s()} OR ${s()}) -${s()} -${e()}`;
}

/** `count` queries that all pass parseQuery (a shape that could match without a term is drawn again). */
export function makeAlertQueries(count: number, v: NewsVocabulary, seed = 12): string[] {
  const rng = seededRng(seed);
  const out: string[] = [];
  while (out.length < count) {
    const q = query(v, rng);
    try {
      parseQuery(q);
      out.push(q);
    } catch {
      // e.g. `x AND (y OR NOT z)` with z == a term that makes it trivially true: draw another
    }
  }
  return out;
}

/**
 * Running text is mostly words no alert names: the real function words, and made-up filler words
 * standing in for the rest of a news language's vocabulary, so each item holds a few dozen alert
 * terms (as real items do), not a third of them.
 */
interface Filler {
  en: string[];
  ja: string[];
}

function makeFiller(rng: Rng): Filler {
  const consonants = ['b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'br', 'st', 'tr', 'gr', 'ch', 'sh'];
  const vowels = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ou'];
  const syllable = () => `${rng.pick(consonants)}${rng.pick(vowels)}${rng() < 0.3 ? rng.pick(['n', 'r', 's', 'l', 'ck']) : ''}`;
  const en = new Set<string>();
  while (en.size < 8000) en.add(Array.from({ length: rng.int(1, 4) }, syllable).join(''));
  const kanji = [...'新規定期計画実施関係部門担当地域住民生活環境教育文化施設運営検討会議結果報告全体方針変更予定開始終了'];
  const kana = [...'あいうえおかきくけこさしすせそたちつてとなにぬねのまみむめもやゆよらりるれろわ'];
  const ja = new Set<string>();
  while (ja.size < 4000) ja.add(Array.from({ length: rng.int(2, 4) }, () => rng.pick(rng() < 0.6 ? kanji : kana)).join(''));
  return { en: [...en], ja: [...ja] };
}

function englishSentence(v: NewsVocabulary, filler: Filler, rng: Rng): string {
  const out: string[] = [];
  const length = 10 + rng.int(0, 16);
  while (out.length < length) {
    const x = rng();
    if (x < 0.4) out.push(zipf(rng, GLUE));
    else if (x < 0.915) out.push(zipf(rng, filler.en));
    else if (x < 0.96) out.push(zipf(rng, v.en));
    else if (x < 0.965) out.push(zipf(rng, v.names, 1.1));
    else if (x < 0.98) out.push(zipf(rng, v.phrases, 1.2));
    else out.push(String(rng.int(2, 99_999)));
  }
  const sentence = out.join(' ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}${rng.pick(['.', '.', '.', '?', '!'])}`;
}

const PARTICLES = ['は', 'が', 'を', 'に', 'の', 'で', 'と', 'への', 'から', 'による', 'について'];

function japaneseSentence(v: NewsVocabulary, filler: Filler, rng: Rng): string {
  let s = '';
  const length = 6 + rng.int(0, 10);
  for (let i = 0; i < length; i++) {
    const x = rng();
    if (x < 0.008) s += zipf(rng, v.names, 1.1);
    else if (x < 0.04) s += String(rng.int(1, 9999));
    else if (x < 0.055) s += `「${zipf(rng, v.cjk, 1.2)}」`;
    else if (x < 0.07) s += zipf(rng, v.cjk, 1.2);
    else s += zipf(rng, filler.ja);
    s += rng.pick(PARTICLES);
    if (rng() < 0.15) s += '、';
  }
  return `${s}${rng.pick(['した。', 'する。', 'と発表した。', 'している。', 'を明らかにした。'])}`;
}

/** A news item: a title, 500–2,000 characters of text, 1–3 categories; 40 % Japanese. */
export interface NewsItem extends MatchDocument {
  japanese: boolean;
}

export function makeNewsItems(count: number, v: NewsVocabulary, seed = 13): NewsItem[] {
  const rng = seededRng(seed);
  const filler = makeFiller(rng);
  return Array.from({ length: count }, () => {
    const japanese = rng() < 0.4;
    const sentence = () => (japanese ? japaneseSentence(v, filler, rng) : englishSentence(v, filler, rng));
    const title = sentence().replace(/[.。?!]$/u, '').slice(0, 140);
    const target = rng.int(500, 2000);
    let text = '';
    while (text.length < target) text += (text && !japanese ? ' ' : '') + sentence();
    const categories = rng.sample(CATEGORIES, rng.int(1, 3));
    return { title: normalizeText(title), text: normalizeText(text.slice(0, 2000)), categories: categories.map(normalizeText), japanese };
  });
}
