import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyToken } from '../../lambda/core/tokens/signed-token.ts';
import { subscriberId } from '../../lambda/core/ids/subscriber-id.ts';
import { FILE_SUBSCRIBER, linkToken, openHarness, PUBLIC_URL, T0, TOKEN_KEY, type WebHarness } from './support/harness.ts';

describe('the subscribe page and POST /subscribe', () => {
  let web: WebHarness;
  beforeEach(async () => {
    web = await openHarness();
  });
  afterEach(async () => {
    await web.close();
  });

  it('offers every topic by name, each frequency, and UTC as the zone until the browser says otherwise', async () => {
    // Act
    const page = await web.call('GET', '/');
    // Assess
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<input type="checkbox" name="topics" value="jaxa" id="topics"> Attacks on JAXA &amp; &lt;ISAS&gt;</label>');
    expect(page.body).toContain('value="unit-61419"');
    for (const f of ['immediate', 'hourly', 'daily']) expect(page.body).toContain(`name="frequency" value="${f}"`);
    expect(page.body).toContain('<option selected>UTC</option>');
    expect(page.body).toContain('<option>Asia/Tokyo</option>');
    expect(page.body).toMatch(/<form method="post" action="\/subscribe">/);
  });

  it('stores a pending subscriber and emails a single-use confirmation link that expires in 48 hours', async () => {
    // Act
    const response = await web.subscribe('Analyst@Example.com', ['jaxa', 'tick']);
    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toContain('Check your inbox');
    expect(await web.subscriber('analyst@example.com')).toMatchObject({
      email: 'Analyst@Example.com',
      status: 'pending',
      source: 'api',
      topics: ['jaxa', 'tick'],
      frequency: 'daily',
      timezone: 'Asia/Tokyo',
    });
    const [mail, ...more] = await web.emails();
    expect(more).toHaveLength(0);
    expect(mail!.mail.to).toMatchObject({ value: [{ address: 'Analyst@example.com' }] }); // domains are case-insensitive; the MIME builder lower-cases them
    expect(mail!.mail.subject).toBe('Confirm your Newshound subscription');
    expect(mail!.text).toContain(`${PUBLIC_URL}/confirm?token=`);
    expect(mail!.html).toContain(`href="${PUBLIC_URL}/confirm?token=`);
    expect(mail!.text).toContain('Topics: Attacks on JAXA & <ISAS>, Tick (BRONZE BUTLER)');
    const verified = verifyToken(linkToken(mail!, '/confirm'), TOKEN_KEY, 'confirm', T0);
    expect(verified.ok && verified.payload.exp).toBe(T0.getTime() / 1000 + 48 * 3600);
    expect(verified.ok && verified.payload.nonce).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a new, a pending, an active, an unsubscribed and a suppressed address with the same bytes', async () => {
    // Prepare
    await web.seed('active@example.com', { status: 'active', topics: ['unit-61419'] });
    await web.seed('left@example.com', { status: 'unsubscribed' });
    await web.seed('bounced@example.com', { status: 'suppressed', suppressedReason: 'bounce' });
    await web.subscribe('pending@example.com');
    await web.newMail();
    // Act
    const answers = [];
    for (const email of ['new@example.com', 'pending@example.com', 'active@example.com', 'left@example.com', 'bounced@example.com']) {
      answers.push(await web.subscribe(email));
    }
    // Assess
    const reference = answers[0]!;
    for (const answer of answers) expect({ status: answer.status, headers: answer.headers, body: answer.body }).toEqual(reference);
    const mails = await web.newMail();
    expect(mails.map((m) => (m.mail.to as { text: string }).text).sort()).toEqual([
      'active@example.com',
      'left@example.com',
      'new@example.com',
      'pending@example.com',
    ]);
  });

  it('never downgrades an active subscriber: it gets a manage link, not a confirmation', async () => {
    // Prepare
    const active = await web.seed('active@example.com', { topics: ['unit-61419'], frequency: 'hourly' });
    // Act
    await web.subscribe('active@example.com', ['jaxa']);
    // Assess
    expect(await web.subscriber('active@example.com')).toEqual(active);
    const [mail] = await web.emails();
    expect(mail!.mail.subject).toBe('Your Newshound subscription');
    expect(mail!.text).not.toContain('/confirm?');
    expect(verifyToken(linkToken(mail!, '/manage'), TOKEN_KEY, 'manage', T0)).toMatchObject({ ok: true, payload: { sub: active.id } });
  });

  it('sends nothing to a suppressed address and leaves it suppressed', async () => {
    const bounced = await web.seed('bounced@example.com', { status: 'suppressed', suppressedReason: 'bounce' });
    await web.subscribe('bounced@example.com');
    expect(await web.emails()).toHaveLength(0);
    expect(await web.subscriber('bounced@example.com')).toEqual(bounced);
  });

  it('re-subscribing an unsubscribed address makes it pending again, never active without confirmation', async () => {
    await web.seed('left@example.com', { status: 'unsubscribed' });
    await web.subscribe('left@example.com', ['tick']);
    expect(await web.subscriber('left@example.com')).toMatchObject({ status: 'pending', topics: ['tick'] });
  });

  it('sends nothing to an address with a suppression, and stores nothing', async () => {
    const id = subscriberId('stranger@example.com');
    await web.store.suppress({ subscriberId: id, email: 'stranger@example.com', reason: 'complaint: abuse', at: T0.toISOString() });
    const response = await web.subscribe('stranger@example.com');
    expect(response.status).toBe(200);
    expect(await web.emails()).toHaveLength(0);
    expect(await web.subscriber('stranger@example.com')).toBeUndefined();
  });

  it('sends a listed config-file address with no stored record the manage link, storing nothing', async () => {
    await web.subscribe(FILE_SUBSCRIBER, ['jaxa']);
    const [mail] = await web.emails();
    expect(mail!.text).not.toContain('/confirm?');
    expect(linkToken(mail!, '/manage')).toBeTruthy();
    expect(await web.subscriber(FILE_SUBSCRIBER)).toBeUndefined();
  });

  it('leaves a config-file subscriber record as it is, but still sends the confirmation link', async () => {
    const fromFile = await web.seed(FILE_SUBSCRIBER, { source: 'config', status: 'unsubscribed', topics: ['unit-61419'] });
    await web.subscribe(FILE_SUBSCRIBER, ['jaxa']);
    expect(await web.subscriber(FILE_SUBSCRIBER)).toEqual(fromFile);
    const [mail] = await web.emails();
    expect(mail!.text).toContain('Topics: PLA Unit 61419');
  });
});

describe('rate limits of POST /subscribe', () => {
  it('sends at most 3 confirmations per address per hour, with the same page past the limit', async () => {
    // Prepare
    const web = await openHarness();
    try {
      // Act
      const answers = [];
      for (let i = 0; i < 5; i++) answers.push(await web.subscribe('eager@example.com'));
      const sentWithinHour = (await web.newMail()).length;
      web.clock.advanceHours(1);
      await web.subscribe('eager@example.com');
      // Assess
      expect(new Set(answers.map((a) => `${a.status} ${a.body}`)).size).toBe(1);
      expect(sentWithinHour).toBe(3);
      expect(await web.newMail()).toHaveLength(1);
    } finally {
      await web.close();
    }
  });

  it('stops one client address after its hourly quota, whatever addresses it names', async () => {
    // Prepare
    const web = await openHarness({ perIpPerHour: 4 });
    try {
      // Act
      for (let i = 0; i < 6; i++) await web.subscribe(`victim${i}@example.com`, ['jaxa'], { ip: '198.51.100.7' });
      await web.subscribe('other@example.com', ['jaxa'], { ip: '198.51.100.8' });
      // Assess
      const to = (await web.emails()).map((m) => (m.mail.to as { text: string }).text).sort();
      expect(to).toEqual(['other@example.com', 'victim0@example.com', 'victim1@example.com', 'victim2@example.com', 'victim3@example.com']);
      expect(await web.subscriber('victim5@example.com')).toBeUndefined();
    } finally {
      await web.close();
    }
  });
});
