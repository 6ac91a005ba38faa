import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { subscriberId } from '../../lambda/core/ids/subscriber-id.ts';
import { FILE_SUBSCRIBER, linkToken, openHarness, T0, type WebHarness } from './support/harness.ts';

describe('double opt-in: /confirm', () => {
  let web: WebHarness;
  let token: string;
  beforeEach(async () => {
    web = await openHarness();
    await web.subscribe('new@example.com', ['jaxa', 'tick']);
    token = linkToken((await web.newMail())[0]!, '/confirm');
  });
  afterEach(async () => {
    await web.close();
  });

  it('shows a Confirm button on GET and changes nothing (mail scanners follow links)', async () => {
    // Act
    const page = await web.call('GET', '/confirm', { query: { token } });
    await web.call('HEAD', '/confirm', { query: { token } });
    // Assess
    expect(page.status).toBe(200);
    expect(page.body).toContain('<form method="post" action="/confirm">');
    expect(page.body).toContain(`<input type="hidden" name="token" value="${token}">`);
    expect(page.body).toContain('<strong>new@example.com</strong>');
    expect(await web.subscriber('new@example.com')).toMatchObject({ status: 'pending' });
  });

  it('activates the subscriber when the button is pressed', async () => {
    const response = await web.post('/confirm', { token });
    expect(response.status).toBe(200);
    expect(response.body).toContain('You are subscribed');
    expect(await web.subscriber('new@example.com')).toMatchObject({ status: 'active', topics: ['jaxa', 'tick'], source: 'api' });
  });

  it('refuses a reused link with 410 and changes nothing (unsubscribed stays unsubscribed)', async () => {
    // Prepare: confirm, then unsubscribe
    await web.post('/confirm', { token });
    await web.post('/unsubscribe', { token: web.token({ sub: subscriberId('new@example.com'), purpose: 'unsubscribe' }) });
    const before = await web.subscriber('new@example.com');
    // Act
    const reused = await web.post('/confirm', { token });
    // Assess
    expect(reused.status).toBe(410);
    expect(reused.body).toContain('This link was already used');
    expect(await web.subscriber('new@example.com')).toEqual(before);
    expect(before?.status).toBe('unsubscribed');
  });

  it('refuses an expired link (after 48 hours) with 410 on GET and POST, and the address stays pending', async () => {
    // Prepare
    web.clock.advanceHours(48);
    // Act
    const shown = await web.call('GET', '/confirm', { query: { token } });
    const pressed = await web.post('/confirm', { token });
    // Assess
    for (const response of [shown, pressed]) {
      expect(response.status).toBe(410);
      expect(response.body).toContain('This link has expired');
    }
    expect(await web.subscriber('new@example.com')).toMatchObject({ status: 'pending' });
  });

  it('refuses a tampered link with 400 and changes nothing', async () => {
    // Prepare: the payload re-encoded to name another (pending) subscriber, the signature kept
    await web.subscribe('victim@example.com', ['jaxa']);
    const [body, signature] = token.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    const forged = `${Buffer.from(JSON.stringify({ ...payload, sub: subscriberId('victim@example.com') })).toString('base64url')}.${signature}`;
    // A character inside the signature: the last one carries padding bits that decoding ignores.
    const flipped = `${token.slice(0, -5)}${token.at(-5) === 'A' ? 'B' : 'A'}${token.slice(-4)}`;
    // Act
    const responses = [];
    for (const bad of [forged, flipped, 'not-a-token', '']) {
      responses.push(await web.call('GET', '/confirm', { query: { token: bad } }), await web.post('/confirm', { token: bad }));
    }
    responses.push(await web.post('/confirm', {}));
    // Assess
    for (const response of responses) {
      expect(response.status).toBe(400);
      expect(response.body).toContain('This link is not valid');
    }
    expect(await web.subscriber('victim@example.com')).toMatchObject({ status: 'pending' });
    expect(await web.subscriber('new@example.com')).toMatchObject({ status: 'pending' });
  });

  it('refuses a token made for another purpose (an unsubscribe link cannot confirm)', async () => {
    const unsubscribe = web.token({ sub: subscriberId('new@example.com'), purpose: 'unsubscribe' });
    const response = await web.post('/confirm', { token: unsubscribe });
    expect(response.status).toBe(400);
    expect(await web.subscriber('new@example.com')).toMatchObject({ status: 'pending' });
  });

  it('never lifts a suppression item, even with a fresh confirmation link (say, the confirmation bounced)', async () => {
    // Prepare
    const id = subscriberId('new@example.com');
    await web.store.suppress({ subscriberId: id, email: 'new@example.com', reason: 'bounce: Permanent/General', at: T0.toISOString() });
    // Act
    const page = await web.call('GET', '/confirm', { query: { token } });
    const response = await web.post('/confirm', { token });
    // Assess
    expect([page.status, response.status]).toEqual([410, 410]);
    expect(await web.subscriber('new@example.com')).toMatchObject({ status: 'pending' });
    expect(await web.store.getSuppression(id)).toBeDefined();
  });

  it('re-activates a config-file address that unsubscribed, with the file\'s settings', async () => {
    // Prepare: the listed address unsubscribed, then asked to subscribe again
    await web.post('/unsubscribe', { token: web.token({ sub: subscriberId(FILE_SUBSCRIBER), purpose: 'unsubscribe' }) });
    await web.subscribe(FILE_SUBSCRIBER, ['jaxa']);
    const fileToken = linkToken((await web.newMail()).find((m) => m.text.includes('/confirm?'))!, '/confirm');
    // Act
    const response = await web.post('/confirm', { token: fileToken });
    // Assess
    expect(response.status).toBe(200);
    expect(await web.subscriber(FILE_SUBSCRIBER)).toMatchObject({ status: 'active', source: 'config', topics: ['unit-61419'] });
  });

  it('never lifts a suppression, even with a fresh confirmation link', async () => {
    const current = (await web.subscriber('new@example.com'))!;
    await web.store.putSubscriber({ ...current, status: 'suppressed', suppressedReason: 'complaint' });
    const response = await web.post('/confirm', { token });
    expect(response.status).toBe(410);
    expect(await web.subscriber('new@example.com')).toMatchObject({ status: 'suppressed' });
  });
});
