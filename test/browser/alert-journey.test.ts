import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../e2e/support/cli.ts';
import { plainText, type Email } from '../e2e/support/outbox.ts';
import type { RssItem } from '../e2e/support/rss.ts';
import { chromiumPath, skipLine } from '../support/env.ts';
import { openJourney, type Journey } from './support/journey.ts';
import type { ServeProcess } from './support/serve-process.ts';

// A personal alert's whole life in headless Chromium against `newshound serve`, with real
// `newshound run` cycles in between sharing one data directory and one outbox (README, "Personal
// alerts"): subscribe with an alert → confirm → the manage link by email → a bad query shows its
// error in place → the preview lists stories of past cycles → save → the next digest holds a new
// story under the alert's name → edit the query → the following digest follows the edit → delete
// it → nothing more for it. Each page is screenshotted into test-artifacts/browser/; with
// NEWSHOUND_UPDATE_PICTURES=1 the manage page with its preview also refreshes docs/manage-page.png.

const DOCS_SCREENSHOT = join(ROOT, 'docs/manage-page.png');
// Past cycles run before the real clock's now (the preview looks back from it); later ones after.
const START = Date.now();
const at = (minutes: number) => new Date(START + minutes * 60_000);
const story = (title: string, slug: string, minutes: number, description = `${title}. Full report inside.`): RssItem => ({
  title,
  link: `https://news.example/${slug}`,
  description,
  pubDate: at(minutes),
});

const pastEruption = story('Volcano erupts near Kagoshima', 'past-eruption', -50, 'Sakurajima sent ash 3 km high; an eruption warning is in place.');
const pastLaunchWindow = story('H3 launch window set for March', 'past-launch-window', -45);
const evacuation = story('Eruption forces evacuations on Suwanosejima', 'evacuation', -5);
const launchSuccess = story('H3 rocket launch succeeds', 'launch-success', -4);
const ashAirport = story('Volcano ash closes Kagoshima airport', 'ash-airport', 5);
const tsunamiLifted = story('Tsunami warning lifted for the coast', 'tsunami-lifted', 6);
const tsunamiDrill = story('Tsunami drill held in Kochi', 'tsunami-drill', 15);
const nextLaunch = story('Second H3 launch scheduled', 'next-launch', 16);

const chromium = chromiumPath();

// Without Chromium these tests are registered as skipped, so `npm test` counts them (scripts/test.mjs).
if (!chromium) skipLine('browser suite not run: chromium not found');
describe.skipIf(!chromium)('a personal alert from subscription to deletion in a real browser', () => {
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
  const alertsListed = async () => (await runCli(['alerts', 'list', '--email', 'analyst@example.com', '--config', config, '--data', data], env)).stdout;
  const region = (name: string | RegExp): Locator => page.getByRole('region', { name });
  const status = () => page.getByRole('status').textContent();
  // A string runs in the page (this file is compiled without the DOM types).
  const focusedId = () => page.evaluate<string>('document.activeElement ? document.activeElement.id : ""');

  beforeAll(async () => {
    journey = await openJourney({
      chromium: chromium!,
      prefix: 'newshound-alerts-browser-',
      topics: [
          { id: 'jaxa', name: 'Attacks on JAXA', query: 'JAXA' },
          { id: 'tick', name: 'Tick (BRONZE BUTLER)', query: '=Tick' },
      ],
    });
    ({ config, data, serve, page, env } = journey);
    // Stories of the past week, kept for the preview; nobody is subscribed yet, so nothing is mailed.
    expect(await cycle(-30, [pastEruption, pastLaunchWindow])).toEqual([]);
  });
  afterAll(async () => {
    await journey?.close();
  });

  it('subscribes with a personal alert and no topic, and confirming creates the alert', async () => {
    // Act
    await page.goto(`${serve.url}/`);
    await page.getByLabel('Email address').fill('analyst@example.com');
    await page.getByLabel('As soon as a story matches').check();
    await page.getByLabel('Alert name').fill('Launch watch');
    await page.getByLabel('Alert query').fill('launch*');
    await shot('alerts-01-subscribe');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Check your inbox');
    const [confirmation] = await arrived();
    await page.goto(/http:\/\/127\.0\.0\.1:\d+\/confirm\?token=\S+/.exec(confirmation!.text)![0]);
    await shot('alerts-02-confirm');
    const confirmText = await page.locator('main').textContent();
    await page.getByRole('button', { name: 'Confirm subscription' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('You are subscribed');
    // Assess
    expect(confirmText).toContain('Your alert: Launch watch, query launch*.');
    expect(await alertsListed()).toMatch(/analyst@example\.com\s+Launch watch\s+launch\*\s.*\bactive$/m);
  });

  it('mails the manage link to the subscribed address from the "Already subscribed?" page', async () => {
    // Act
    await page.goto(`${serve.url}/`);
    await page.getByRole('link', { name: "We'll email you your manage link" }).click();
    await page.getByLabel('Email address').fill('analyst@example.com');
    await page.getByRole('button', { name: 'Email me my manage link' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Check your inbox');
    const [linkMail, ...others] = await arrived();
    // Assess
    expect(others).toEqual([]);
    expect(linkMail!.mail.subject).toBe('Your Newshound manage link');
    await page.goto(/http:\/\/127\.0\.0\.1:\d+\/manage\?token=\S+/.exec(linkMail!.text)![0]);
    await shot('alerts-03-manage');
    expect(await region('Launch watch').getByLabel('Query').inputValue()).toBe('launch*');
  });

  it('shows a bad query next to its field with position and reason, focused, the typed values kept', async () => {
    // Prepare
    const add = region('Add an alert');
    await add.getByLabel('Name').fill('Volcano watch');
    await add.getByLabel('Query').fill('volcano AND');
    // Act
    await add.getByRole('button', { name: 'Add alert' }).click();
    await expect.poll(() => page.locator('#error-summary').isVisible()).toBe(true);
    await shot('alerts-04-bad-query');
    // Assess: the summary has the focus; the field says it is invalid and is described by the error
    expect(await focusedId()).toBe('error-summary');
    const query = region('Add an alert').getByLabel('Query');
    expect(await query.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await query.getAttribute('aria-describedby'))?.split(' ') ?? [];
    const described = (await Promise.all(describedBy.map((id) => page.locator(`#${id}`).textContent()))).join(' ');
    expect(described).toContain('the query does not parse: at 11: expected a term after "AND"');
    expect(await query.inputValue()).toBe('volcano AND');
    expect(await region('Add an alert').getByLabel('Name').inputValue()).toBe('Volcano watch');
    // The summary's entry takes the keyboard to the field.
    await page.getByRole('link', { name: /Query: the query does not parse/ }).click();
    expect(await focusedId()).toBe('new-alert-query');
  });

  it('previews the stories of the past week the query would have caught, and saves nothing', async () => {
    // Prepare
    const add = region('Add an alert');
    await add.getByLabel('Query').fill('volcano OR eruption');
    // Act
    await add.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 3, name: /^Preview:/ }).textContent()).toBe('Preview: 1 story in the last 7 days matches');
    if (process.env.NEWSHOUND_UPDATE_PICTURES === '1') await page.screenshot({ path: DOCS_SCREENSHOT, fullPage: true });
    await shot('alerts-05-preview');
    // Assess
    const preview = region(/^Preview:/);
    expect(await preview.getByRole('link', { name: pastEruption.title }).getAttribute('href')).toBe(pastEruption.link);
    expect(await preview.locator('mark').allTextContents()).toEqual(['Volcano', 'eruption']);
    expect(await preview.textContent()).toContain('Preview only: nothing was saved.');
    expect(page.url()).toMatch(/\/manage\/alerts#preview$/);
    expect(await alertsListed()).not.toContain('Volcano watch');
    expect(await region('Add an alert').getByLabel('Query').inputValue()).toBe('volcano OR eruption');
  });

  it('saves the alert', async () => {
    await region('Add an alert').getByRole('button', { name: 'Add alert' }).click();
    await expect.poll(status).toContain('Added “Volcano watch”.');
    await shot('alerts-06-saved');
    expect(await region('Volcano watch').getByLabel('Query').inputValue()).toBe('volcano OR eruption');
    expect(await alertsListed()).toMatch(/Volcano watch\s+volcano OR eruption/);
  });

  it('mails the next new matching story under the alert name', async () => {
    // Act
    const sent = await cycle(0, [pastEruption, pastLaunchWindow, evacuation, launchSuccess]);
    // Assess
    expect(sent).toHaveLength(1);
    digest = sent[0]!;
    const text = plainText(digest);
    expect(text).toContain('Volcano watch (1)');
    expect(text).toContain('Launch watch (1)');
    expect(text).toContain(evacuation.title);
    expect(digest.text).toContain('* «Eruption» forces evacuations');
    expect(text).not.toContain(pastEruption.title);
    await page.setContent(digest.html);
    await shot('alerts-07-digest');
  });

  it('follows an edit of the query in the following digest', async () => {
    // Prepare: the manage link of the digest
    await page.setContent(digest.html);
    const manage = await page.getByRole('link', { name: 'Manage alerts' }).getAttribute('href');
    await page.goto(manage!);
    // Act
    await region('Volcano watch').getByLabel('Query').fill('tsunami');
    await region('Volcano watch').getByRole('button', { name: /^Save/ }).click();
    await expect.poll(status).toContain('Saved “Volcano watch”.');
    await shot('alerts-08-edited');
    const sent = await cycle(10, [evacuation, launchSuccess, ashAirport, tsunamiLifted]);
    // Assess
    expect(sent).toHaveLength(1);
    const text = plainText(sent[0]!);
    expect(text).toContain('Volcano watch (1)');
    expect(sent[0]!.text).toContain('* «Tsunami» warning lifted');
    expect(text).not.toContain(ashAirport.title);
  });

  it('sends nothing more for the alert once deleted, while the other alert keeps working', async () => {
    // Act
    await region('Volcano watch').getByRole('button', { name: /^Delete/ }).click();
    await expect.poll(status).toContain('Deleted “Volcano watch”.');
    await shot('alerts-09-deleted');
    const sent = await cycle(20, [tsunamiLifted, tsunamiDrill, nextLaunch]);
    // Assess
    expect(await page.getByRole('region', { name: 'Volcano watch' }).count()).toBe(0);
    expect(sent).toHaveLength(1);
    const text = plainText(sent[0]!);
    expect(text).toContain('Launch watch (1)');
    expect(text).not.toContain('Volcano watch');
    expect(text).not.toContain(tsunamiDrill.title);
  });
});
