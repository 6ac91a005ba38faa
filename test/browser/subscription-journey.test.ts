import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../e2e/support/cli.ts';
import { plainText, type Email } from '../e2e/support/outbox.ts';
import type { RssItem } from '../e2e/support/rss.ts';
import { chromiumPath, skipLine } from '../support/env.ts';
import { startWebServer } from '../../lambda/web/node-server.ts';
import { openHarness } from '../web/support/harness.ts';
import { openJourney, type Journey } from './support/journey.ts';
import type { ServeProcess } from './support/serve-process.ts';

// The whole subscription journey in headless Chromium against `newshound serve`, with real
// `newshound run` cycles in between, all sharing one data directory and one outbox:
// subscribe (two topics) → confirmation email → confirm → digest with only those topics → manage
// link from the digest, drop a topic → next digest follows → RFC 8058 one-click POST → no digest.
// Each page is screenshotted into test-artifacts/browser/; with NEWSHOUND_UPDATE_PICTURES=1 the
// subscribe page also refreshes docs/subscribe-page.png (the README's picture), so a plain test run
// leaves the checkout untouched.

const DOCS_SCREENSHOT = join(ROOT, 'docs/subscribe-page.png');
const START = Date.now();
const at = (minutes: number) => new Date(START + minutes * 60_000);
const story = (title: string, slug: string, minutes: number): RssItem => ({
  title,
  link: `https://news.example/${slug}`,
  description: `${title}. Full report inside.`,
  pubDate: at(minutes),
});

const jaxaIntrusion = story('JAXA confirms intrusion into its network', 'jaxa-intrusion', -60);
const tickLoader = story('Tick group returns with a new loader', 'tick-loader', -50);
const unitIndicted = story('Unit 61419 officers named in indictment', 'unit-indicted', -40);
const jaxaHardening = story('JAXA hardens its ground systems', 'jaxa-hardening', 5);
const tickManufacturers = story('Tick campaign hits manufacturers', 'tick-manufacturers', 6);
const jaxaLessons = story('JAXA shares lessons learned', 'jaxa-lessons', 15);

/** A header's unfolded value, read from the raw bytes. */
const header = (email: Email, name: string) => {
  const head = email.raw.slice(0, email.raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  return new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
};

const chromium = chromiumPath();

// Needs no browser, so the file always holds a test that runs: what a browser without JavaScript
// submits (the fields in page order, the zone left at its default) must subscribe.
describe('the subscribe page without JavaScript', () => {
  it('defaults the zone to UTC and accepts the form exactly as a script-less browser posts it', async () => {
    // Prepare
    const web = await openHarness();
    const server = await startWebServer(() => web.deps, { port: 0 });
    try {
      const page = await (await fetch(`${server.url}/`)).text();
      const names = [...page.matchAll(/<(?:input|select)[^>]* name="([^"]+)"/g)].map((m) => m[1]);
      // Act
      const response = await fetch(`${server.url}/subscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'email=nojs%40example.com&topics=jaxa&frequency=immediate&timezone=UTC&alertName=&alertQuery=',
      });
      // Assess
      expect(page).toContain('<option selected>UTC</option>');
      expect([...new Set(names)]).toEqual(['email', 'topics', 'frequency', 'timezone', 'alertName', 'alertQuery']);
      expect(response.status).toBe(200);
      expect(await web.subscriber('nojs@example.com')).toMatchObject({ status: 'pending', timezone: 'UTC' });
    } finally {
      await server.close();
      await web.close();
    }
  });
});

// Without Chromium these tests are registered as skipped, so `npm test` counts them (scripts/test.mjs).
if (!chromium) skipLine('browser suite not run: chromium not found');
describe.skipIf(!chromium)('subscribing, managing and leaving in a real browser', () => {
  let journey: Journey;
  let config: string;
  let data: string;
  let serve: ServeProcess;
  let page: Page;
  let env: Record<string, string>;
  let digest: Email;

  const shot = (name: string) => journey.shot(name);
  const arrived = () => journey.arrived();
  const cycle = (minutes: number, items: RssItem[]) => journey.cycle(at(minutes), items);
  const statusOf = async (email: string) => {
    const listed = await runCli(['subscribers', 'list', '--config', config, '--data', data], env);
    return new RegExp(`^${email.replace('.', '\\.')}\\s+(\\S+)`, 'm').exec(listed.stdout)?.[1];
  };

  beforeAll(async () => {
    journey = await openJourney({
      chromium: chromium!,
      prefix: 'newshound-browser-',
      topics: [
          { id: 'jaxa', name: 'Attacks on JAXA', query: 'JAXA' },
          { id: 'tick', name: 'Tick (BRONZE BUTLER)', query: '=Tick' },
          { id: 'unit-61419', name: 'PLA Unit 61419', query: '"Unit 61419"' },
      ],
    });
    ({ config, data, serve, page, env } = journey);
  });
  afterAll(async () => {
    await journey?.close();
  });

  it('subscribes to two topics from the subscribe page, the time zone taken from the browser', async () => {
    // Act
    await page.goto(`${serve.url}/`);
    await shot('01-subscribe');
    await page.getByLabel('Email address').fill('analyst@example.com');
    await page.getByLabel('Attacks on JAXA').check();
    await page.getByLabel('Tick (BRONZE BUTLER)').check();
    await page.getByLabel('As soon as a story matches').check();
    // Assess: the inline script picked the browser's zone (the page says UTC without JavaScript)
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Asia/Tokyo');
    if (process.env.NEWSHOUND_UPDATE_PICTURES === '1') await page.screenshot({ path: DOCS_SCREENSHOT, fullPage: true });
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Check your inbox');
    await shot('02-check-inbox');
  });

  it('emails a confirmation link whose page changes nothing until the button is pressed', async () => {
    // Prepare
    const [confirmation, ...others] = await arrived();
    expect(others).toHaveLength(0);
    expect(confirmation!.mail.subject).toBe('Confirm your Newshound subscription');
    const link = /http:\/\/127\.0\.0\.1:\d+\/confirm\?token=\S+/.exec(confirmation!.text)?.[0];
    // Act
    await page.goto(link!);
    await shot('03-confirm');
    const beforePress = await statusOf('analyst@example.com');
    await page.getByRole('button', { name: 'Confirm subscription' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('You are subscribed');
    await shot('04-confirmed');
    // Assess
    expect(beforePress).toBe('pending');
    expect(await statusOf('analyst@example.com')).toBe('active');
  });

  it('sends a digest holding only the two chosen topics', async () => {
    // Act
    const sent = await cycle(0, [jaxaIntrusion, tickLoader, unitIndicted]);
    // Assess
    expect(sent).toHaveLength(1);
    digest = sent[0]!;
    expect((digest.mail.to as { text: string }).text).toBe('analyst@example.com');
    expect(digest.mail.headers.get('x-newshound-items')).toBe('2');
    expect(plainText(digest)).toContain(jaxaIntrusion.title);
    expect(plainText(digest)).toContain(tickLoader.title);
    expect(plainText(digest)).not.toContain('Unit 61419');
    expect(header(digest, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
  });

  it('follows the manage link in the digest and drops a topic', async () => {
    // Prepare: the digest as a mail client shows it
    await page.setContent(digest.html);
    await shot('05-digest');
    const manage = await page.getByRole('link', { name: 'Manage alerts' }).getAttribute('href');
    // Act
    await page.goto(manage!);
    await shot('06-manage');
    await page.getByLabel('Tick (BRONZE BUTLER)').uncheck();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Saved.');
    await shot('07-manage-saved');
    // Assess
    expect(await page.getByLabel('Attacks on JAXA').isChecked()).toBe(true);
    expect(await page.getByLabel('Tick (BRONZE BUTLER)').isChecked()).toBe(false);
  });

  it('sends the next digest with the remaining topic only', async () => {
    const sent = await cycle(10, [jaxaIntrusion, tickLoader, unitIndicted, jaxaHardening, tickManufacturers]);
    expect(sent).toHaveLength(1);
    digest = sent[0]!;
    expect(digest.mail.headers.get('x-newshound-items')).toBe('1');
    expect(plainText(digest)).toContain(jaxaHardening.title);
    expect(plainText(digest)).not.toContain(tickManufacturers.title);
  });

  it('unsubscribes with the RFC 8058 one-click POST to the List-Unsubscribe URL', async () => {
    // Prepare
    const listUnsubscribe = /^<(http:\/\/127\.0\.0\.1:\d+\/unsubscribe\?token=[^>]+)>$/.exec(header(digest, 'List-Unsubscribe'))?.[1];
    await page.goto(listUnsubscribe!);
    await shot('08-unsubscribe');
    // Act: what a mailbox provider sends: no cookie, no page, just the POST
    const response = await page.context().request.post(listUnsubscribe!, { form: { 'List-Unsubscribe': 'One-Click' } });
    const again = await page.context().request.post(listUnsubscribe!, { form: { 'List-Unsubscribe': 'One-Click' } });
    await page.reload();
    await shot('09-unsubscribed');
    // Assess
    expect([response.status(), again.status()]).toEqual([200, 200]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('You are unsubscribed');
    expect(await statusOf('analyst@example.com')).toBe('unsubscribed');
  });

  it('sends no further digest', async () => {
    const sent = await cycle(20, [jaxaIntrusion, tickLoader, unitIndicted, jaxaHardening, tickManufacturers, jaxaLessons]);
    expect(sent).toEqual([]);
  });
});
