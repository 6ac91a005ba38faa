import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecentStory } from '../../lambda/core/domain/recent-story.ts';
import type { Subscriber } from '../../lambda/core/domain/subscriber.ts';
import { subscriberId } from '../../lambda/core/ids/subscriber-id.ts';
import { LIVE_CONFIG_VERSION } from '../../lambda/core/ports/version-store.ts';
import { testAlert } from '../support/profiles.ts';
import { FILE_SUBSCRIBER, openHarness, type WebHarness } from './support/harness.ts';

const alert = testAlert;

describe('personal alerts on the manage page: /manage/alerts', () => {
  let web: WebHarness;
  let reader: Subscriber;
  let token: string;
  const alertsOf = async (email = 'reader@example.com') => (await web.subscriber(email))?.alerts ?? [];
  const send = (fields: Record<string, string>, options: { ip?: string } = {}) => web.post('/manage/alerts', { token, ...fields }, options);

  beforeEach(async () => {
    web = await openHarness();
    reader = await web.seed('reader@example.com', { topics: ['jaxa'], frequency: 'daily', alerts: [alert('aaaaaaaaaa', 'Space agency', 'JAXA OR ISAS')] });
    token = web.token({ sub: reader.id, purpose: 'manage' });
  });
  afterEach(async () => {
    await web.close();
  });

  it('lists the alerts with their name, query, frequency and state, each in a labelled form', async () => {
    await web.seed('reader@example.com', { alerts: [alert('aaaaaaaaaa', 'Space agency', 'JAXA OR ISAS', { frequency: 'hourly', paused: true })] });
    const page = await web.call('GET', '/manage', { query: { token } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<h3 id="alert-aaaaaaaaaa-heading">Space agency<span class="tag">Paused</span></h3>');
    expect(page.body).toContain('<label for="alert-aaaaaaaaaa-query">Query</label>');
    expect(page.body).toContain('id="alert-aaaaaaaaaa-query" name="query" value="JAXA OR ISAS"');
    expect(page.body).toContain('<option value="hourly" selected>');
    expect(page.body).toContain('name="action" value="resume"');
    expect(page.body).toContain('<h3 id="new-alert-heading">Add an alert</h3>');
    // Preview works before the alert has a name: the browser's required check is skipped for it.
    expect(page.body).toContain('name="action" value="preview" class="secondary" formaction="/manage/alerts#preview" formnovalidate>Preview</button>');
  });

  it('adds an alert to the profile, through the subscriber write path that moves live-config', async () => {
    // Prepare
    const before = await web.store.getVersion(LIVE_CONFIG_VERSION);
    // Act
    const response = await send({ action: 'add', name: ' Tick loaders ', query: '=Tick AND loader*', frequency: 'immediate' });
    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toContain('Added “Tick loaders”.');
    const alerts = await alertsOf();
    expect(alerts).toHaveLength(2);
    expect(alerts[1]).toMatchObject({ name: 'Tick loaders', query: '=Tick AND loader*', frequency: 'immediate', paused: false, createdAt: web.clock.now().toISOString() });
    expect(alerts[1]!.id).toMatch(/^[a-z0-9]{10}$/);
    expect(response.body).toContain(`id="alert-${alerts[1]!.id}-query"`);
    expect(await web.store.getVersion(LIVE_CONFIG_VERSION)).toBe(before + 1);
    expect(await web.subscriber('reader@example.com')).toMatchObject({ topics: ['jaxa'], frequency: 'daily', status: 'active' });
  });

  it('renames, re-queries and re-schedules an alert, then pauses, resumes and deletes it', async () => {
    // Act
    const saved = await send({ action: 'save', alert: 'aaaaaaaaaa', name: 'JAXA only', query: 'JAXA -weather', frequency: 'daily' });
    const afterSave = await alertsOf();
    await send({ action: 'pause', alert: 'aaaaaaaaaa' });
    const afterPause = await alertsOf();
    await send({ action: 'resume', alert: 'aaaaaaaaaa' });
    const afterResume = await alertsOf();
    const deleted = await send({ action: 'delete', alert: 'aaaaaaaaaa' });
    // Assess
    expect(saved.body).toContain('Saved “JAXA only”.');
    expect(afterSave).toEqual([{ ...alert('aaaaaaaaaa', 'JAXA only', 'JAXA -weather', { frequency: 'daily' }), updatedAt: web.clock.now().toISOString() }]);
    expect(afterPause[0]!.paused).toBe(true);
    expect(afterResume[0]!.paused).toBe(false);
    expect(deleted.body).toContain('Deleted “JAXA only”.');
    expect(await alertsOf()).toEqual([]);
  });

  it('shows a query that does not parse next to its field, with position and reason, the typed values kept, and saves nothing', async () => {
    // Act
    const response = await send({ action: 'add', name: 'My alert', query: 'JAXA AND', frequency: 'hourly' });
    // Assess
    expect(response.status).toBe(400);
    const message = 'the query does not parse: at 8: expected a term after &quot;AND&quot;';
    expect(response.body).toContain(`<a href="#new-alert-query">Query: ${message}</a>`);
    expect(response.body).toContain('id="error-summary" tabindex="-1" autofocus');
    expect(response.body).toContain(
      'id="new-alert-query" name="query" value="JAXA AND" autocomplete="off" autocapitalize="off" spellcheck="false" required aria-invalid="true" aria-describedby="new-alert-query-error new-alert-query-help">',
    );
    expect(response.body).toContain(`<p class="field-error" id="new-alert-query-error"><strong>Error:</strong> ${message}<br><code aria-hidden="true">JAXA AND<mark>&nbsp;</mark></code></p>`);
    expect(response.body).toContain('id="new-alert-name" name="name" value="My alert"');
    expect(response.body).toContain('<option value="hourly" selected>');
    expect(await alertsOf()).toHaveLength(1);
  });

  it('marks the place of the problem inside the query', async () => {
    const response = await send({ action: 'save', alert: 'aaaaaaaaaa', name: 'Space agency', query: 'JAXA OR ) ISAS', frequency: '' });
    expect(response.status).toBe(400);
    expect(response.body).toContain('at 8: expected a term after &quot;OR&quot;<br><code aria-hidden="true">JAXA OR <mark>)</mark> ISAS</code>');
    expect(await alertsOf()).toEqual(reader.alerts);
  });

  it('refuses a query longer than alerts.maxQueryLength, a name over 100 characters and a query matching nearly everything', async () => {
    const longQuery = await send({ action: 'add', name: 'Long', query: 'JAXA '.repeat(101).trim(), frequency: '' });
    const longName = await send({ action: 'add', name: 'n'.repeat(101), query: 'JAXA', frequency: '' });
    const everything = await send({ action: 'add', name: 'All', query: '-weather', frequency: '' });
    expect([longQuery.status, longName.status, everything.status]).toEqual([400, 400, 400]);
    expect(longQuery.body).toContain('the query is 504 characters long; at most 500 are allowed');
    expect(longName.body).toContain('the name is too long: at most 100 characters');
    expect(everything.body).toContain('the query matches items that contain none of its terms');
    expect(await alertsOf()).toHaveLength(1);
  });

  it('refuses a 21st alert (alerts.maxPerSubscriber) and offers no add form at the limit', async () => {
    // Prepare
    const twenty = Array.from({ length: 20 }, (_, i) => alert(`a${String(i).padStart(9, '0')}`, `Alert ${i}`, `word${i}`));
    await web.seed('reader@example.com', { alerts: twenty });
    // Act
    const page = await web.call('GET', '/manage', { query: { token } });
    const response = await send({ action: 'add', name: 'One more', query: 'JAXA', frequency: '' });
    // Assess
    expect(page.body).not.toContain('new-alert-heading');
    expect(page.body).toContain('You have 20 alerts, the most one subscriber may keep.');
    expect(response.status).toBe(400);
    expect(response.body).toContain('You have 20 alerts, the most one subscriber may keep. Delete one to add another.');
    expect(await alertsOf()).toHaveLength(20);
  });

  it('lets a subscriber with alerts keep no topic at all', async () => {
    const response = await web.post('/manage', { token, frequency: 'daily', timezone: 'UTC' });
    expect(response.status).toBe(200);
    expect(await web.subscriber('reader@example.com')).toMatchObject({ topics: [], alerts: reader.alerts });
  });

  it('refuses a form with no known action, and one without a valid manage token', async () => {
    const noAction = await send({ alert: 'aaaaaaaaaa', name: 'x', query: 'x' });
    const forged = await web.post('/manage/alerts', { action: 'delete', alert: 'aaaaaaaaaa' });
    const unsubscribeToken = await web.post('/manage/alerts', { token: web.token({ sub: reader.id, purpose: 'unsubscribe' }), action: 'delete', alert: 'aaaaaaaaaa' });
    expect([noAction.status, forged.status, unsubscribeToken.status]).toEqual([400, 400, 400]);
    expect(await alertsOf()).toEqual(reader.alerts);
  });

  it('answers GET on /manage/alerts with 405, allowing POST only', async () => {
    const response = await web.call('GET', '/manage/alerts', { query: { token } });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('POST');
  });

  it("lets a config-file subscriber keep alerts of its own while its topics stay the file's", async () => {
    // Prepare
    const fileToken = web.token({ sub: subscriberId(FILE_SUBSCRIBER), purpose: 'manage' });
    // Act
    const added = await web.post('/manage/alerts', { token: fileToken, action: 'add', name: 'Mine', query: 'JAXA', frequency: '' });
    const page = await web.call('GET', '/manage', { query: { token: fileToken } });
    const settings = await web.post('/manage', { token: fileToken, topics: 'jaxa', frequency: 'hourly', timezone: 'UTC' });
    // Assess
    expect(added.status).toBe(200);
    expect(await web.subscriber(FILE_SUBSCRIBER)).toMatchObject({ source: 'config', status: 'active', topics: ['unit-61419'], alerts: [{ name: 'Mine', query: 'JAXA' }] });
    expect(page.body).toContain('value="Mine"');
    expect(page.body).toContain('Your personal alerts above are yours to change.');
    expect(settings.status).toBe(409);
  });
});

describe("token scope: another subscriber's alerts", () => {
  let web: WebHarness;
  let mine: string;
  let theirs: Subscriber;
  beforeEach(async () => {
    web = await openHarness();
    const me = await web.seed('me@example.com', { alerts: [alert('mmmmmmmmmm', 'Mine', 'JAXA')] });
    theirs = await web.seed('them@example.com', { alerts: [alert('tttttttttt', 'Their secret alert', 'secret-project-x')] });
    mine = web.token({ sub: me.id, purpose: 'manage' });
  });
  afterEach(async () => {
    await web.close();
  });

  it('can never be read with my token: not on my page, not through any action', async () => {
    const page = await web.call('GET', '/manage', { query: { token: mine } });
    const preview = await web.post('/manage/alerts', { token: mine, action: 'preview', alert: 'tttttttttt', name: 'x', query: 'JAXA' });
    for (const body of [page.body, preview.body]) {
      expect(body).not.toContain('Their secret alert');
      expect(body).not.toContain('secret-project-x');
    }
  });

  it.each(['save', 'pause', 'resume', 'delete', 'preview', 'add'])('refuses %s on their alert id like an id that never existed, and changes nothing', async (action) => {
    // Act
    const theirId = await web.post('/manage/alerts', { token: mine, action, alert: 'tttttttttt', name: 'Hijacked', query: 'JAXA', frequency: '' });
    const noId = await web.post('/manage/alerts', { token: mine, action, alert: 'zzzzzzzzzz', name: 'Hijacked', query: 'JAXA', frequency: '' });
    // Assess
    expect(theirId.status).toBe(404);
    expect(theirId.body).toBe(noId.body);
    expect(await web.subscriber('them@example.com')).toEqual(theirs);
    expect((await web.subscriber('me@example.com'))?.alerts?.map((a) => a.name)).toEqual(['Mine']);
  });
});

describe('the alert preview', () => {
  let web: WebHarness;
  let token: string;
  const hoursAgo = (h: number) => new Date(web.clock.now().getTime() - h * 3_600_000).toISOString();
  const story = (key: string, hours: number, title: string, text: string): RecentStory => ({
    key,
    title,
    text,
    categories: [],
    url: `https://news.example/${key}`,
    source: 'Test News',
    firstSeenAt: hoursAgo(hours),
    expiresAt: Math.floor(web.clock.now().getTime() / 1000) + 86_400,
  });
  beforeEach(async () => {
    web = await openHarness();
    const reader = await web.seed('reader@example.com', { timezone: 'Asia/Tokyo', alerts: [alert('aaaaaaaaaa', 'Space agency', 'JAXA')] });
    token = web.token({ sub: reader.id, purpose: 'manage' });
    await web.store.putRecentStory(story('old', 170, 'JAXA budget from last week', 'Too old to show.'));
    await web.store.putRecentStory(story('one', 30, 'JAXA confirms intrusion', 'The agency said the intrusion began in June.'));
    await web.store.putRecentStory(story('two', 2, 'Weather', 'Rain over Tokyo; JAXA delays a launch.'));
    await web.store.putRecentStory(story('three', 1, 'Markets', 'Stocks fell.'));
  });
  afterEach(async () => {
    await web.close();
  });

  it('lists the stories of the last 7 days the typed query matches, newest first, highlighted, and saves nothing', async () => {
    // Prepare
    const before = await web.subscriber('reader@example.com');
    const version = await web.store.getVersion(LIVE_CONFIG_VERSION);
    // Act
    const response = await web.post('/manage/alerts', { token, action: 'preview', alert: 'aaaaaaaaaa', name: 'Space agency', query: 'jaxa OR launch*', frequency: '' });
    // Assess
    expect(response.status).toBe(200);
    const body = response.body;
    expect(body).toContain('<h3 id="preview-heading">Preview: 2 stories in the last 7 days match</h3>');
    expect(body).toContain('Preview only: nothing was saved. 3 stories from the last 7 days searched.');
    expect(body.indexOf('Weather')).toBeLessThan(body.indexOf('confirms intrusion'));
    expect(body).toContain('<a href="https://news.example/one"><mark>JAXA</mark> confirms intrusion</a>');
    expect(body).toContain('<p>Rain over Tokyo; <mark>JAXA</mark> delays a <mark>launch</mark>.</p>');
    expect(body).toContain(`Test News · `);
    expect(body).not.toContain('last week');
    // The typed query stays in the form, unsaved.
    expect(body).toContain('id="alert-aaaaaaaaaa-query" name="query" value="jaxa OR launch*"');
    expect(await web.subscriber('reader@example.com')).toEqual(before);
    expect(await web.store.getVersion(LIVE_CONFIG_VERSION)).toBe(version);
  });

  it('previews the add form too, and says so when nothing matched', async () => {
    const response = await web.post('/manage/alerts', { token, action: 'preview', name: '', query: 'volcano', frequency: '' });
    expect(response.status).toBe(200);
    expect(response.body).toContain('Preview: no stories in the last 7 days');
    expect(response.body).toContain('id="new-alert-query" name="query" value="volcano"');
    expect((await web.subscriber('reader@example.com'))?.alerts).toHaveLength(1);
  });

  it("shows a bad query's error instead of a preview", async () => {
    const response = await web.post('/manage/alerts', { token, action: 'preview', name: '', query: '(JAXA', frequency: '' });
    expect(response.status).toBe(400);
    expect(response.body).toContain('the query does not parse: at 5: expected &quot;)&quot;<br><code aria-hidden="true">(JAXA<mark>&nbsp;</mark></code>');
    expect(response.body).not.toContain('preview-heading');
  });

  it('sees a story stored after the page was opened', async () => {
    await web.post('/manage/alerts', { token, action: 'preview', name: '', query: 'volcano', frequency: '' });
    await web.store.putRecentStory(story('new', 0.5, 'Volcano erupts', 'Ash over the island.'));
    const response = await web.post('/manage/alerts', { token, action: 'preview', name: '', query: 'volcano', frequency: '' });
    expect(response.body).toContain('<mark>Volcano</mark> erupts');
  });
});

describe('rate limits on saving and previewing', () => {
  it("stops a subscriber's saves past the hourly limit, saving nothing, until the next hour", async () => {
    // Prepare
    const web = await openHarness({ savesPerSubscriberPerHour: 2 });
    try {
      const reader = await web.seed('reader@example.com');
      const token = web.token({ sub: reader.id, purpose: 'manage' });
      const add = (name: string) => web.post('/manage/alerts', { token, action: 'add', name, query: 'JAXA', frequency: '' });
      // Act
      const answers = [await add('one'), await add('two'), await add('three')];
      const settings = await web.post('/manage', { token, topics: 'tick', frequency: 'daily', timezone: 'UTC' });
      web.clock.advanceHours(1);
      const nextHour = await add('four');
      // Assess
      expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
      expect(answers[2]!.body).toContain('Too many changes in the last hour. Nothing was saved');
      expect(answers[2]!.body).toContain('id="new-alert-name" name="name" value="three"');
      expect(settings.status).toBe(429);
      expect(nextHour.status).toBe(200);
      expect((await web.subscriber('reader@example.com'))?.alerts?.map((a) => a.name)).toEqual(['one', 'two', 'four']);
      expect(await web.subscriber('reader@example.com')).toMatchObject({ topics: ['jaxa'] });
    } finally {
      await web.close();
    }
  });

  it('stops one client address past its hourly limit, whichever subscribers it acts for', async () => {
    const web = await openHarness({ savesPerIpPerHour: 3 });
    try {
      const tokens = await Promise.all([0, 1, 2, 3].map(async (i) => web.token({ sub: (await web.seed(`r${i}@example.com`)).id, purpose: 'manage' })));
      const statuses: number[] = [];
      for (const token of tokens) statuses.push((await web.post('/manage/alerts', { token, action: 'add', name: 'a', query: 'JAXA', frequency: '' }, { ip: '198.51.100.9' })).status);
      const elsewhere = await web.post('/manage/alerts', { token: tokens[3]!, action: 'add', name: 'a', query: 'JAXA', frequency: '' }, { ip: '198.51.100.10' });
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(elsewhere.status).toBe(200);
    } finally {
      await web.close();
    }
  });

  it('limits previews per subscriber separately from saves', async () => {
    const web = await openHarness({ previewsPerSubscriberPerHour: 1 });
    try {
      const reader = await web.seed('reader@example.com');
      const token = web.token({ sub: reader.id, purpose: 'manage' });
      const preview = () => web.post('/manage/alerts', { token, action: 'preview', name: '', query: 'JAXA', frequency: '' });
      const statuses = [(await preview()).status, (await preview()).status];
      const save = await web.post('/manage/alerts', { token, action: 'add', name: 'a', query: 'JAXA', frequency: '' });
      expect(statuses).toEqual([200, 429]);
      expect(save.status).toBe(200);
    } finally {
      await web.close();
    }
  });
});
