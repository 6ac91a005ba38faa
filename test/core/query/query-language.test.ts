import { describe, expect, it } from 'vitest';
import { matches } from './support.ts';

// One block per row of the README's query table (docs/behaviour.md, Query language); every row has texts that must match and texts that must not.
const rows: Array<{ row: string; query: string; match: string[]; noMatch: string[] }> = [
  {
    row: 'a word, case-insensitive, on word boundaries',
    query: 'JAXA',
    match: ['attack on JAXA.', 'jaxa', "Jaxa's network", 'ＪＡＸＡ', 'JAXAに対する攻撃', '攻撃JAXA', '(JAXA)'],
    noMatch: ['JAXAMAX', 'NASAJAXA', 'JAXA2', 'J AXA', '宇宙航空研究開発機構'],
  },
  {
    row: 'a phrase: the words in sequence, any run of spaces or punctuation between',
    query: '"Unit 61419"',
    match: ['cyberwarfare Unit 61419.', 'unit-61419', 'Unit, 61419', 'Unit\n\n 61419', 'Ｕｎｉｔ　６１４１９', '第Unit 61419部隊'],
    noMatch: ['Unit 614190', 'Unit 61419x', '61419 Unit', 'Unit X 61419', 'Units 61419', 'Unit61419'],
  },
  {
    row: 'a prefix',
    query: 'hack*',
    match: ['hacking', 'Hackers struck', 'a hack', 'HACKTIVISTS', 'hackに'],
    noMatch: ['shack', 'whacked', 'hac k', 'ha-ck'],
  },
  {
    row: 'a case-sensitive word',
    query: '=Tick',
    match: ['by "Tick," a group', 'Tick', 'Ｔｉｃｋ', 'Tickが'],
    noMatch: ['tick', 'TICK', 'Ticket', 'the clock ticks'],
  },
  {
    row: 'a case-sensitive phrase',
    query: '="Unit 61419"',
    match: ['Unit 61419', 'Unit-61419'],
    noMatch: ['unit 61419', 'UNIT 61419', 'Unit 614190'],
  },
  {
    row: 'implicit AND',
    query: 'JAXA attack',
    match: ['attack on JAXA', 'JAXA attack', 'JAXAへのattack'],
    noMatch: ['attack on NASA', 'JAXA only', 'attacks on JAXA'],
  },
  {
    row: 'explicit AND',
    query: 'JAXA AND attack',
    match: ['attack on JAXA'],
    noMatch: ['JAXA alone', 'attack alone'],
  },
  {
    row: 'OR',
    query: 'JAXA OR NASA',
    match: ['JAXA', 'NASA', 'JAXA and NASA'],
    noMatch: ['ESA', 'NASAJAXA'],
  },
  {
    row: 'minus negation',
    query: 'JAXA -NASA',
    match: ['JAXA alone', 'JAXA and NASAMAX'],
    noMatch: ['JAXA and NASA', 'NASA: JAXA', 'nothing'],
  },
  {
    row: 'NOT negation',
    query: 'JAXA NOT NASA',
    match: ['JAXA alone'],
    noMatch: ['JAXA and nasa', 'nothing'],
  },
  {
    row: 'grouping with parentheses',
    query: '(JAXA OR NASA) attack',
    match: ['attack on JAXA', 'NASA attack'],
    noMatch: ['JAXA', 'NASA', 'attack on ESA'],
  },
  {
    row: 'precedence: AND binds tighter than OR',
    query: 'JAXA OR NASA attack',
    match: ['JAXA', 'NASA attack'],
    noMatch: ['NASA', 'attack'],
  },
  {
    row: 'precedence: NOT binds tighter than AND',
    query: '-NASA JAXA OR ESA',
    match: ['JAXA', 'ESA with NASA'],
    noMatch: ['JAXA with NASA', 'NASA'],
  },
  {
    row: 'NOT of a group',
    query: 'JAXA -(NASA OR ESA)',
    match: ['JAXA'],
    noMatch: ['JAXA with ESA', 'JAXA with NASA'],
  },
  {
    row: 'a CJK term matches as a substring',
    query: '宇宙航空研究開発機構',
    match: ['宇宙航空研究開発機構への攻撃', '国立研究開発法人宇宙航空研究開発機構', '宇宙航空研究開発機構(JAXA)'],
    noMatch: ['宇宙航空研究所', '宇宙 航空研究開発機構', 'JAXA'],
  },
  {
    row: 'a quoted CJK phrase written with a space finds the words with or without a separator',
    query: '"宇宙 航空"',
    match: ['宇宙航空研究開発機構', '国立研究開発法人宇宙航空研究開発機構', '宇宙 航空', '宇宙・航空', 'JAXA(宇宙航空)'],
    noMatch: ['宇宙開発航空', '航空宇宙', '宇宙', '宇宙 の 航空'],
  },
  {
    row: 'a CJK word and a Latin word in a phrase still meet at a boundary',
    query: '"部隊 Unit"',
    match: ['部隊Unit', '部隊 Unit 61419'],
    noMatch: ['部隊員 Unit', '部隊 Units'],
  },
  {
    row: 'a katakana and a Hangul term match as substrings, half-width katakana after NFKC',
    query: 'サイバー OR 해킹',
    match: ['大規模サイバー攻撃', 'ｻｲﾊﾞｰ攻撃', '해킹공격'],
    noMatch: ['サイバ攻撃', '해커'],
  },
  {
    row: 'a phrase mixing Latin and CJK words',
    query: '"61419部隊"',
    match: ['人民解放軍61419部隊の', '61419 部隊', '61419・部隊'],
    noMatch: ['614190部隊', '61419部', '部隊61419'],
  },
  {
    row: 'a bare word with punctuation inside is a phrase',
    query: 'e-mail',
    match: ['e-mail', 'E mail', 'e.mail'],
    noMatch: ['email', 'e-mails'],
  },
  {
    row: 'a full-width query matches half-width text',
    query: 'ＪＡＸＡ　ＯＲ　"Ｕｎｉｔ　６１４１９"',
    match: ['jaxa', 'unit 61419'],
    noMatch: ['unit 614190'],
  },
  {
    row: 'Unicode case folding',
    query: 'école OR οδος',
    match: ['ÉCOLE', 'Οδος', 'ΟΔΟΣ'],
    noMatch: ['ecole', 'οδοι'],
  },
];

describe('the query language', () => {
  for (const { row, query, match, noMatch } of rows) {
    describe(`${row}: ${query}`, () => {
      for (const text of match) it(`matches ${JSON.stringify(text)}`, () => expect(matches(query, text)).toBe(true));
      for (const text of noMatch) it(`does not match ${JSON.stringify(text)}`, () => expect(matches(query, text)).toBe(false));
    });
  }
});
