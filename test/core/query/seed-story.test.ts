import { describe, expect, it } from 'vitest';
import { matchText } from './support.ts';

// The topic query of the README's configuration example, against sentences of the seed story (Vision Times, 4 Jan 2022).
const QUERY = '"Unit 61419" OR JAXA OR 宇宙航空研究開発機構 OR =Tick';

describe('the seed-story query', () => {
  it.each([
    ["Wang was acting under the directions received from the wife of a member of the Chinese People’s Liberation Army’s (PLA) cyberwarfare Unit 61419.", 'Unit 61419'],
    ['Japanese police secured an arrest warrant for a Chinese national who is suspected of carrying out a cyberattack on the Japan Aerospace Exploration Agency (JAXA).', 'JAXA'],
    ['Officials suspect that the attacks were carried out by “Tick,” a Chinese hacking group under the supervision of a Chinese military unit.', 'Tick'],
    ['警視庁は、宇宙航空研究開発機構（ＪＡＸＡ）へのサイバー攻撃に関与した疑いで中国籍の男を書類送検した。', '宇宙航空研究開発機構'],
    ['中国人民解放軍の「Ｕｎｉｔ　６１４１９」が関与', 'Unit 61419'],
  ])('matches %j', (sentence, covered) => {
    // Act
    const found = matchText(QUERY, sentence);
    // Assess
    const text = sentence.normalize('NFKC');
    expect(found?.spans.map((s) => text.slice(s.start, s.end))).toContain(covered);
  });

  it.each([
    'Police said that in order to enact the deal, Wang devised a fake company name and an alias.',
    'Japan is planning to set up a working unit within police authorities as well as a cyber command center.',
    'The agency pointed to communist China, North Korea, and Russia as the main perpetrators of cybercrimes.',
    'Ticks and tick-borne diseases are on the rise; the JAXAMAX fund lost 61419 yen.',
  ])('does not match %j', (sentence) => {
    expect(matchText(QUERY, sentence)).toBeUndefined();
  });
});
