import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { subscriberId } from '../../lambda/core/ids/subscriber-id.ts';
import { FILE_SUBSCRIBER, linkToken, openHarness, type WebHarness } from './support/harness.ts';

const alertFields = (email: string, name: string, query: string, topics: string[] = []) => ({
  email,
  topics,
  frequency: 'daily',
  timezone: 'UTC',
  alertName: name,
  alertQuery: query,
});

describe('a personal alert written on the subscribe page', () => {
  let web: WebHarness;
  beforeEach(async () => {
    web = await openHarness();
  });
  afterEach(async () => {
    await web.close();
  });

  it('offers an optional alert name and query, and the manage-link page for addresses already subscribed', async () => {
    const page = await web.call('GET', '/');
    expect(page.body).toContain('<legend>Your own alert (optional)</legend>');
    expect(page.body).toContain('<label for="alertName">Alert name</label>');
    expect(page.body).toContain('<label for="alertQuery">Alert query</label>');
    expect(page.body).toContain(`<strong>Already subscribed?</strong> <a href="/manage-link">We'll email you your manage link</a>`);
  });

  it('subscribes with the alert alone, and confirming creates it in the profile', async () => {
    // Act
    const response = await web.post('/subscribe', alertFields('new@example.com', 'Space agency', 'JAXA OR "宇宙航空"'));
    const pending = await web.subscriber('new@example.com');
    const [confirmation] = await web.newMail();
    const token = linkToken(confirmation!, '/confirm');
    const confirmPage = await web.call('GET', '/confirm', { query: { token } });
    await web.post('/confirm', { token });
    // Assess
    expect(response.status).toBe(200);
    expect(pending).toMatchObject({ status: 'pending', topics: [] });
    expect(pending?.alerts).toBeUndefined();
    expect(confirmation!.text).toContain('Your alert: Space agency (JAXA OR "宇宙航空")');
    expect(confirmation!.text).not.toContain('Topics:');
    expect(confirmPage.body).toContain('Topics: none.');
    expect(confirmPage.body).toContain('Your alert: <strong>Space agency</strong>, query <code>JAXA OR &quot;宇宙航空&quot;</code>.');
    const active = await web.subscriber('new@example.com');
    expect(active).toMatchObject({ status: 'active', topics: [], frequency: 'daily' });
    expect(active?.alerts).toEqual([
      { id: expect.stringMatching(/^[a-z0-9]{10}$/), name: 'Space agency', query: 'JAXA OR "宇宙航空"', paused: false, createdAt: expect.any(String), updatedAt: expect.any(String) },
    ]);
  });

  it('activates topics and the alert together, and the link still works once only', async () => {
    await web.post('/subscribe', alertFields('new@example.com', 'Tick', '=Tick', ['jaxa']));
    const token = linkToken((await web.newMail())[0]!, '/confirm');
    await web.post('/confirm', { token });
    const again = await web.post('/confirm', { token });
    expect(again.status).toBe(410);
    expect(await web.subscriber('new@example.com')).toMatchObject({ topics: ['jaxa'], alerts: [{ name: 'Tick', query: '=Tick' }] });
  });

  it('shows a bad query in place with position and reason, keeps what was typed, stores and sends nothing', async () => {
    // Act
    const response = await web.post('/subscribe', alertFields('new@example.com', 'Mine', 'JAXA OR', ['tick']));
    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toContain('<a href="#alertQuery">Alert query: the query does not parse: at 7: expected a term after &quot;OR&quot;</a>');
    expect(response.body).toContain('id="alertQuery" name="alertQuery" value="JAXA OR" autocomplete="off" autocapitalize="off" spellcheck="false" aria-invalid="true" aria-describedby="alertQuery-error alertQuery-help">');
    expect(response.body).toContain('id="alertName" name="alertName" value="Mine"');
    expect(response.body).toContain('name="topics" value="tick" checked>');
    expect(await web.store.listSubscribers()).toEqual([]);
    expect(await web.emails()).toEqual([]);
  });

  it('asks for a topic or an alert when neither is given, and for both halves of an alert', async () => {
    const neither = await web.post('/subscribe', alertFields('new@example.com', '', ''));
    const noQuery = await web.post('/subscribe', alertFields('new@example.com', 'Named', '', ['jaxa']));
    expect([neither.status, noQuery.status]).toEqual([400, 400]);
    expect(neither.body).toContain('Topics: choose at least one topic, or write your own alert below');
    expect(noQuery.body).toContain('Alert query: the query does not parse: at 0: empty query');
    expect(await web.store.listSubscribers()).toEqual([]);
  });

  it('refuses an alert too long to travel in a confirmation link, whatever the address, naming the query', async () => {
    // 500 CJK characters are within alerts.maxQueryLength but 1,500 bytes: with the rest, over a link's 2,048 characters.
    const response = await web.post('/subscribe', alertFields('new@example.com', 'Long', '宇宙'.repeat(250)));
    expect(response.status).toBe(400);
    expect(response.body).toContain('Alert query: this alert and these topics do not fit in one confirmation link');
    expect(await web.emails()).toEqual([]);
  });

  it('keeps the alerts an unsubscribed address had when it subscribes again and confirms', async () => {
    // Prepare
    const old = { id: 'oooooooooo', name: 'Old', query: 'ISAS', paused: false, createdAt: 'x', updatedAt: 'x' };
    await web.seed('back@example.com', { status: 'unsubscribed', alerts: [old] });
    // Act
    await web.post('/subscribe', alertFields('back@example.com', 'New', 'JAXA'));
    await web.post('/confirm', { token: linkToken((await web.newMail())[0]!, '/confirm') });
    // Assess
    expect((await web.subscriber('back@example.com'))?.alerts?.map((a) => a.name)).toEqual(['Old', 'New']);
  });

  it("adds the alert to a config-file address that confirms again after unsubscribing, with the file's topics", async () => {
    await web.store.putSubscriber({
      id: subscriberId(FILE_SUBSCRIBER), email: FILE_SUBSCRIBER, topics: ['unit-61419'], frequency: 'immediate', timezone: 'UTC', status: 'unsubscribed', source: 'config', createdAt: 'x', updatedAt: 'x',
    });
    await web.post('/subscribe', alertFields(FILE_SUBSCRIBER, 'Mine', 'JAXA', ['tick']));
    await web.post('/confirm', { token: linkToken((await web.newMail())[0]!, '/confirm') });
    expect(await web.subscriber(FILE_SUBSCRIBER)).toMatchObject({ status: 'active', topics: ['unit-61419'], alerts: [{ name: 'Mine', query: 'JAXA' }] });
  });
});

describe('"Already subscribed? We will email you your manage link": /manage-link', () => {
  let web: WebHarness;
  beforeEach(async () => {
    web = await openHarness();
  });
  afterEach(async () => {
    await web.close();
  });

  it('emails an active address its manage link, and sends nothing for others, with the same page for all', async () => {
    // Prepare
    await web.seed('active@example.com');
    await web.seed('gone@example.com', { status: 'unsubscribed' });
    const form = await web.call('GET', '/manage-link');
    // Act
    const answers = [
      await web.post('/manage-link', { email: 'active@example.com' }),
      await web.post('/manage-link', { email: 'gone@example.com' }),
      await web.post('/manage-link', { email: 'nobody@example.com' }),
      await web.post('/manage-link', { email: FILE_SUBSCRIBER }),
    ];
    // Assess
    expect(form.body).toContain('<label for="email">Email address</label>');
    expect(new Set(answers.map((a) => `${a.status} ${a.body}`)).size).toBe(1);
    const mail = await web.emails();
    expect(mail.map((m) => (m.mail.to as { text: string }).text).sort()).toEqual(['active@example.com', FILE_SUBSCRIBER]);
    const link = mail.find((m) => (m.mail.to as { text: string }).text === 'active@example.com')!;
    expect(link.mail.subject).toBe('Your Newshound manage link');
    const page = await web.call('GET', '/manage', { query: { token: linkToken(link, '/manage') } });
    expect(page.body).toContain('<strong>active@example.com</strong>');
  });

  it('is rate-limited like subscribing: at most 3 emails per address per hour', async () => {
    await web.seed('active@example.com');
    for (let i = 0; i < 5; i++) await web.post('/manage-link', { email: 'active@example.com' });
    expect(await web.emails()).toHaveLength(3);
  });

  it('answers a malformed address with the form, the error next to the field, and sends nothing', async () => {
    const response = await web.post('/manage-link', { email: 'x"><script>alert(1)</script>' });
    expect(response.status).toBe(400);
    expect(response.body).toContain('value="x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" aria-invalid="true" aria-describedby="email-error">');
    expect(response.body).not.toContain('<script>alert(1)');
    expect(await web.emails()).toEqual([]);
  });
});
