import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XML_MAX_ELEMENTS } from '../../lambda/core/feed/entry-limits.ts';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { runCli, type CliResult } from './support/cli.ts';
import { writeConfig } from './support/config.ts';
import { plainText, readOutbox, type Email } from './support/outbox.ts';
import { rss } from './support/rss.ts';

// One `newshound run` over a normal feed and, beside it, feeds built to sink a cycle: nesting and
// element floods, HTML nested thousands deep inside one item, entities XML does not define, and
// fields hundreds of kilobytes long. The normal feed's story must arrive in that same run's digest;
// each hostile feed either fails as too-complex or loses only what it must.

const NOW = '2026-03-02T00:00:00Z';
const hourAgo = new Date(Date.parse(NOW) - 3_600_000);
const date = hourAgo.toUTCString();

const channel = (title: string, items: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>${title}</title><link>https://hostile.example/</link><description>x</description>
${items}
</channel></rss>`;

const storyItem = (title: string, link: string, description = 'JAXA said so.') =>
  `<item><title>${title}</title><link>${link}</link><description>${description}</description><pubDate>${date}</pubDate></item>`;

/** `n` nested <b> inside one item's description, in CDATA as publishers write HTML. */
const nestedHtml = (n: number) =>
  channel(
    `Nested ${n}`,
    storyItem(`JAXA deep markup ${n}`, `https://hostile.example/deep-${n}`, `<![CDATA[JAXA investigators said ${'<b>'.repeat(n)}more${'</b>'.repeat(n)}]]>`) +
      storyItem(`JAXA story after deep markup ${n}`, `https://hostile.example/after-deep-${n}`),
  );

describe('newshound run with hostile feeds beside a normal one', () => {
  let server: FeedServer;
  let dir: string;
  let result: CliResult;
  let digest: Email | undefined;

  beforeAll(async () => {
    server = await startFeedServer({
      '/normal.xml': {
        body: rss('Normal News', [
          { title: 'JAXA reports intrusion into its network', link: 'https://normal.example/jaxa', description: 'JAXA said on Monday.', pubDate: hourAgo },
        ]),
      },
      // Raw XML nested 10,000 deep (70 KB), and 250,000 empty elements (1 MB).
      '/deep-xml.xml': { body: channel('Deep XML', `<item><title>JAXA deep</title>${'<x>'.repeat(10_000)}${'</x>'.repeat(10_000)}</item>`) },
      '/flood.xml': { body: channel('Flood', `<item><title>JAXA flood</title><description>${'<b/>'.repeat(250_000)}</description></item>`) },
      // 5,000 (35 KB), 200,000 (1.4 MB) and 700,000 (4.9 MB, under the 5 MB cap) nested <b>.
      '/nested-5000.xml': { body: nestedHtml(5_000) },
      '/nested-200000.xml': { body: nestedHtml(200_000) },
      '/nested-700000.xml': { body: nestedHtml(700_000) },
      '/entities.xml': {
        body: channel(
          'Entities',
          storyItem('JAXA&nbsp;confirms the breach', 'https://hostile.example/nbsp') +
            storyItem('JAXA statement&#1; in full', 'https://hostile.example/char-ref') +
            storyItem('JAXA caf&eacute; network', 'https://hostile.example/eacute'),
        ),
      },
      // A 400 KB title and a 400 KB link, then a normal item in the same feed.
      '/long-fields.xml': {
        body: channel(
          'Long Fields',
          storyItem(`JAXA ${'long title '.repeat(40_000)}`, 'https://hostile.example/long-title') +
            storyItem('JAXA long link', `https://hostile.example/${'x'.repeat(400_000)}`) +
            storyItem('JAXA story after the long fields', 'https://hostile.example/after-long'),
        ),
      },
    });
    dir = mkdtempSync(join(tmpdir(), 'newshound-hostile-'));
    const paths = ['normal', 'deep-xml', 'flood', 'nested-5000', 'nested-200000', 'nested-700000', 'entities', 'long-fields'];
    const config = writeConfig(join(dir, 'newshound.yaml'), {
      // Feeds that fail have no title of their own to show; these two are named in the config.
      feeds: paths.map((p) => ({ url: server.url(`/${p}.xml`), ...(p === 'deep-xml' ? { name: 'Deep XML' } : p === 'flood' ? { name: 'Flood' } : {}) })),
      topics: [{ id: 'jaxa', name: 'Attacks on JAXA', query: 'JAXA' }],
      subscribers: [{ email: 'analyst@example.com', topics: ['jaxa'], frequency: 'immediate' }],
      mail: { from: 'alerts@example.com' },
    });
    const outbox = join(dir, 'outbox');
    result = await runCli(['run', '--config', config, '--data', join(dir, 'data'), '--outbox', outbox, '--now', NOW]);
    [digest] = await readOutbox(outbox);
  });

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finishes the run and sends the normal feed’s story in that run’s digest', () => {
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Normal News\s+200\s+1\s+1\s+1/);
    expect(digest).toBeDefined();
    expect(plainText(digest as Email)).toContain('JAXA reports intrusion into its network\n  https://normal.example/jaxa');
  });

  it('reports a feed nested too deep, or flooded with elements, as too-complex', () => {
    expect(result.stdout).toMatch(/Deep XML\s+too-complex/);
    expect(result.stdout).toMatch(/Flood\s+too-complex/);
    expect(result.stdout).toContain('XML nested deeper than 256 levels');
    expect(result.stdout).toContain(`more than ${XML_MAX_ELEMENTS} XML elements`);
  });

  it('keeps an item whose HTML is nested thousands deep, its text cut at the depth limit, and the items after it', () => {
    const text = plainText(digest as Email);
    for (const n of [5_000, 200_000, 700_000]) {
      expect(result.stdout).toMatch(new RegExp(`Nested ${n}\\s+200\\s+2\\s+2\\s+2`));
      expect(text).toContain(`JAXA deep markup ${n}\n  https://hostile.example/deep-${n}`);
      expect(text).toContain(`JAXA story after deep markup ${n}\n  https://hostile.example/after-deep-${n}`);
    }
    expect(text).toContain('JAXA investigators said…');
  });

  it('recovers items holding entities XML does not define, as a browser reads them', () => {
    const text = plainText(digest as Email);
    expect(result.stdout).toMatch(/Entities\s+200\s+3\s+3\s+3/);
    expect(text).toContain('JAXA confirms the breach\n  https://hostile.example/nbsp');
    expect(text).toContain('JAXA statement in full\n  https://hostile.example/char-ref');
    expect(text).toContain('JAXA café network\n  https://hostile.example/eacute');
  });

  it('cuts a 400 KB title, drops the item with a 400 KB link, and delivers the item after them', () => {
    const text = plainText(digest as Email);
    expect(result.stdout).toMatch(/Long Fields\s+200\s+2\s+2\s+2/);
    expect(text).toMatch(/JAXA long title long title .*…\n {2}https:\/\/hostile\.example\/long-title/);
    expect(text).not.toContain('JAXA long link');
    expect(text).toContain('JAXA story after the long fields\n  https://hostile.example/after-long');
  });
});
