import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Subscriber } from '../../lambda/core/domain/subscriber.ts';
import { subscriberId } from '../../lambda/core/ids/subscriber-id.ts';
import { FILE_SUBSCRIBER, openHarness, T0, type WebHarness } from './support/harness.ts';

describe('one-click unsubscribe: /unsubscribe (RFC 8058)', () => {
  let web: WebHarness;
  let reader: Subscriber;
  let token: string;
  beforeEach(async () => {
    web = await openHarness();
    reader = await web.seed('reader@example.com', { topics: ['jaxa', 'tick'] });
    token = web.token({ sub: reader.id, purpose: 'unsubscribe' });
  });
  afterEach(async () => {
    await web.close();
  });

  it('shows a one-click button on GET and changes nothing', async () => {
    const page = await web.call('GET', '/unsubscribe', { query: { token } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<form method="post" action="/unsubscribe">');
    expect(page.body).toContain('<input type="hidden" name="List-Unsubscribe" value="One-Click">');
    expect(await web.subscriber('reader@example.com')).toEqual(reader);
  });

  it('unsubscribes on a one-click POST to the List-Unsubscribe URL: 200, no cookie, idempotent', async () => {
    // Act: what a mailbox provider sends, twice
    const first = await web.call('POST', '/unsubscribe', { query: { token }, body: 'List-Unsubscribe=One-Click' });
    const afterFirst = await web.subscriber('reader@example.com');
    const second = await web.call('POST', '/unsubscribe', { query: { token }, body: 'List-Unsubscribe=One-Click' });
    // Assess
    for (const response of [first, second]) {
      expect(response.status).toBe(200);
      expect(response.body).toContain('You are unsubscribed');
      expect(Object.keys(response.headers)).not.toContain('set-cookie');
    }
    expect(afterFirst).toMatchObject({ status: 'unsubscribed', topics: ['jaxa', 'tick'] });
    expect(await web.subscriber('reader@example.com')).toEqual(afterFirst);
  });

  it('accepts the one-click POST as multipart/form-data too (RFC 8058 allows either encoding)', async () => {
    const boundary = 'x-boundary';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;
    const response = await web.call('POST', '/unsubscribe', { query: { token }, body, contentType: `multipart/form-data; boundary=${boundary}` });
    expect(response.status).toBe(200);
    expect(await web.subscriber('reader@example.com')).toMatchObject({ status: 'unsubscribed' });
  });

  it('unsubscribes from the page form (token in the body)', async () => {
    const response = await web.post('/unsubscribe', { token, 'List-Unsubscribe': 'One-Click' });
    expect(response.status).toBe(200);
    expect(await web.subscriber('reader@example.com')).toMatchObject({ status: 'unsubscribed' });
  });

  it('keeps a suppressed address suppressed, and answers 200 for an address it no longer knows', async () => {
    // Prepare
    await web.store.putSubscriber({ ...reader, status: 'suppressed', suppressedReason: 'bounce' });
    const gone = web.token({ sub: 'ffffffffffffffffffff', purpose: 'unsubscribe' });
    // Act
    const suppressed = await web.call('POST', '/unsubscribe', { query: { token }, body: 'List-Unsubscribe=One-Click' });
    const unknown = await web.call('POST', '/unsubscribe', { query: { token: gone }, body: 'List-Unsubscribe=One-Click' });
    // Assess
    expect([suppressed.status, unknown.status]).toEqual([200, 200]);
    expect(await web.subscriber('reader@example.com')).toMatchObject({ status: 'suppressed', suppressedReason: 'bounce' });
  });

  it('leaves a suppression alone: nothing written, still suppressed', async () => {
    // Prepare
    const suppression = { subscriberId: reader.id, email: reader.email, reason: 'complaint: abuse', at: T0.toISOString() };
    await web.store.suppress(suppression);
    // Act
    const page = await web.call('GET', '/unsubscribe', { query: { token } });
    const post = await web.call('POST', '/unsubscribe', { query: { token }, body: 'List-Unsubscribe=One-Click' });
    // Assess
    expect([page.status, post.status]).toEqual([200, 200]);
    expect(page.body).toContain('You are unsubscribed');
    expect(await web.subscriber('reader@example.com')).toEqual(reader);
    expect(await web.store.getSuppression(reader.id)).toEqual(suppression);
  });

  it('unsubscribes a config-file address that has no stored record, keeping the file\'s settings', async () => {
    // Prepare
    const id = subscriberId(FILE_SUBSCRIBER);
    const fileToken = web.token({ sub: id, purpose: 'unsubscribe' });
    // Act
    const page = await web.call('GET', '/unsubscribe', { query: { token: fileToken } });
    const post = await web.call('POST', '/unsubscribe', { query: { token: fileToken }, body: 'List-Unsubscribe=One-Click' });
    // Assess
    expect(page.body).toContain('<form method="post" action="/unsubscribe">');
    expect(post.status).toBe(200);
    expect(await web.subscriber(FILE_SUBSCRIBER)).toEqual({
      id,
      email: FILE_SUBSCRIBER,
      topics: ['unit-61419'],
      frequency: 'immediate',
      timezone: 'UTC',
      status: 'unsubscribed',
      source: 'config',
      createdAt: T0.toISOString(),
      updatedAt: T0.toISOString(),
    });
  });

  it('refuses a tampered or wrong-purpose token with 400 and changes nothing', async () => {
    const manage = web.token({ sub: reader.id, purpose: 'manage' });
    const tampered = `${token.slice(0, 5)}${token[5] === 'a' ? 'b' : 'a'}${token.slice(6)}`;
    for (const bad of [manage, tampered, 'x.y']) {
      const get = await web.call('GET', '/unsubscribe', { query: { token: bad } });
      const post = await web.call('POST', '/unsubscribe', { query: { token: bad }, body: 'List-Unsubscribe=One-Click' });
      expect([get.status, post.status]).toEqual([400, 400]);
    }
    expect(await web.subscriber('reader@example.com')).toEqual(reader);
  });

  it('refuses an expired token with 410 and changes nothing', async () => {
    const expiring = web.token({ sub: reader.id, purpose: 'unsubscribe', exp: web.clock.now().getTime() / 1000 + 60 });
    web.clock.advanceHours(1);
    const response = await web.call('POST', '/unsubscribe', { query: { token: expiring }, body: 'List-Unsubscribe=One-Click' });
    expect(response.status).toBe(410);
    expect(await web.subscriber('reader@example.com')).toEqual(reader);
  });
});
