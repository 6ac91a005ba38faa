// Renders the README's digest picture (docs/digest.png) from a real cycle: a local feed server
// serves seed-story-like items in English and Japanese, `runCycle` writes the digest to a temp
// outbox, and headless Chromium photographs its HTML part. Run: npx tsx scripts/digest-picture.ts
import { readdirSync, readFileSync, } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { chromiumPath } from '../test/support/env.ts';
import { launchChromium } from '../test/browser/support/browser.ts';
import { startFeedServer } from '../test/support/feed-server.ts';
import { rss } from '../test/e2e/support/rss.ts';
import { openWorkspace, testConfig } from '../test/app/support.ts';
import { runCycle } from '../lambda/app/run-cycle.ts';

const now = '2026-11-28T03:20:00Z';
const server = await startFeedServer({
  '/record.xml': {
    body: rss('The Record', [
      {
        title: 'Japanese police tie JAXA intrusion to PLA Unit 61419',
        link: 'https://therecord.media/japan-police-jaxa-unit-61419?utm_source=rss',
        description:
          'Tokyo police obtained an arrest warrant for a Chinese national suspected of renting servers used in cyberattacks on the Japan Aerospace Exploration Agency (JAXA), acting on instructions linked to the PLA cyberwarfare Unit 61419.',
        pubDate: new Date('2026-11-28T02:05:00Z'),
      },
      {
        title: 'Tick group returns with new malware aimed at Japanese defense firms',
        link: 'https://therecord.media/tick-bronze-butler-new-malware',
        description: 'Researchers say Tick, also tracked as BRONZE BUTLER, is behind a new espionage campaign against Japanese manufacturers.',
        pubDate: new Date('2026-11-28T01:40:00Z'),
      },
    ]),
  },
  '/nhk.xml': {
    body: rss('NHK News', [
      {
        title: '宇宙航空研究開発機構へのサイバー攻撃 中国軍関与か',
        link: 'https://www3.nhk.or.jp/news/html/20261128/k10000000001000.html',
        description: '警視庁は、宇宙航空研究開発機構(JAXA)などへのサイバー攻撃に、中国人民解放軍の「61419部隊」が関与した疑いがあるとみて捜査しています。',
        pubDate: new Date('2026-11-28T00:30:00Z'),
      },
    ]),
  },
  '/bleeping.xml': {
    body: rss('BleepingComputer', [
      {
        title: 'Japanese police: PLA Unit 61419 behind attacks on JAXA',
        link: 'https://therecord.media/japan-police-jaxa-unit-61419?utm_campaign=x',
        description: 'Same story, another tracking link.',
        pubDate: new Date('2026-11-28T02:10:00Z'),
      },
    ]),
  },
});
const ws = await openWorkspace();
try {
  const config = testConfig({
    feeds: [{ url: server.url('/record.xml'), name: 'The Record' }, { url: server.url('/nhk.xml'), name: 'NHK News' }, { url: server.url('/bleeping.xml'), name: 'BleepingComputer' }],
    topics: [
      { id: 'pla-unit-61419', name: 'PLA Unit 61419', query: '"Unit 61419" OR 61419部隊' },
      { id: 'tick-group', name: 'Tick / BRONZE BUTLER', query: '"BRONZE BUTLER" OR (=Tick (malware OR espionage OR group))' },
      { id: 'jaxa-intrusions', name: 'Attacks on JAXA', query: '(JAXA OR 宇宙航空研究開発機構) (cyber* OR intrusion* OR サイバー OR 攻撃)' },
    ],
    subscribers: [{ email: 'analyst@example.com', topics: ['pla-unit-61419', 'tick-group', 'jaxa-intrusions'], timezone: 'Asia/Tokyo' }],
    mail: { from: 'Newshound Alerts <alerts@example.com>', publicUrl: 'https://alerts.example.com' },
  });
  await runCycle(ws.deps(config, now));
  const [file] = readdirSync(ws.outbox).filter((f) => f.endsWith('.eml'));
  if (!file) throw new Error('no digest was written');
  const mail = await simpleParser(readFileSync(join(ws.outbox, file)));
  const executable = chromiumPath();
  if (!executable) throw new Error('chromium not found');
  const browser = await launchChromium(executable);
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 760, height: 900 });
  const header = `<div style="font:13px/1.5 system-ui,sans-serif;color:#555;padding:12px 16px;border-bottom:1px solid #ddd;background:#f6f6f6">
    <b>From:</b> Newshound Alerts &lt;alerts@example.com&gt;<br><b>Subject:</b> ${mail.subject ?? ''}</div>`;
  await page.setContent(header + String(mail.html));
  const out = join(process.cwd(), 'docs', 'digest.png');
  await page.screenshot({ path: out, fullPage: true });
  await browser.close();
  console.log(`wrote ${out} from ${file}`);
} finally {
  await ws.close();
  await server.close();
}
