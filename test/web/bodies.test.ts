import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { form, openHarness, type WebHarness } from './support/harness.ts';

// Every refused body leaves the store and the outbox untouched.
describe('oversized and malformed bodies', () => {
  let web: WebHarness;
  beforeEach(async () => {
    web = await openHarness();
  });
  afterEach(async () => {
    await web.close();
  });

  const nothingHappened = async () => {
    expect(await web.store.listSubscribers()).toEqual([]);
    expect(await web.emails()).toEqual([]);
  };

  it('refuses a body over 8 KB with 413', async () => {
    const body = form({ email: 'big@example.com', topics: 'jaxa', frequency: 'daily', timezone: 'UTC', padding: 'x'.repeat(9000) });
    const response = await web.call('POST', '/subscribe', { body });
    expect(response.status).toBe(413);
    expect(response.body).toContain('Request too large');
    await nothingHappened();
  });

  it.each([
    ['a broken percent-escape', 'email=a%ZZ%40example.com&topics=jaxa', 'application/x-www-form-urlencoded'],
    ['bytes that are not UTF-8', Buffer.from([...Buffer.from('email=a@example.com&topics=jaxa&timezone='), 0xff, 0xfe]), 'application/x-www-form-urlencoded'],
    ['a JSON body', JSON.stringify({ email: 'a@example.com', topics: ['jaxa'] }), 'application/json'],
    ['no content type', 'email=a%40example.com&topics=jaxa', null],
    ['the email field twice', 'email=a%40example.com&email=b%40example.com&topics=jaxa', 'application/x-www-form-urlencoded'],
  ])('refuses %s with 400', async (_name, body, contentType) => {
    const response = await web.call('POST', '/subscribe', { body, contentType });
    expect(response.status).toBe(400);
    expect(response.body).toContain('Bad request');
    await nothingHappened();
  });

  it.each([
    ['no email', { topics: 'jaxa' }, 'Email: enter your email address'],
    ['a malformed email', { email: 'not-an-address', topics: 'jaxa' }, 'Email: enter a valid email address'],
    ['no topic', { email: 'a@example.com' }, 'Topics: choose at least one topic'],
    ['an unknown topic', { email: 'a@example.com', topics: ['jaxa', 'weather'] }, 'Topics: choose topics from the list'],
    ['an unknown frequency', { email: 'a@example.com', topics: 'jaxa', frequency: 'weekly' }, 'Frequency: choose how often to get email'],
    ['an unknown time zone', { email: 'a@example.com', topics: 'jaxa', timezone: 'Mars/Olympus' }, 'Time zone: choose a time zone from the list'],
  ])('answers %s with the form again (400), naming the field', async (_name, fields, message) => {
    const response = await web.post('/subscribe', fields);
    expect(response.status).toBe(400);
    expect(response.body).toContain(message);
    expect(response.body).toContain('<form method="post" action="/subscribe">');
    await nothingHappened();
  });

  it('answers an unknown path with 404 and a wrong method with 405 and Allow', async () => {
    const missing = await web.call('GET', '/admin');
    const put = await web.call('PUT', '/subscribe');
    const postHome = await web.call('POST', '/');
    expect(missing.status).toBe(404);
    expect([put.status, put.headers.allow]).toEqual([405, 'GET, HEAD, POST']);
    expect([postHome.status, postHome.headers.allow]).toEqual([405, 'GET, HEAD']);
    await nothingHappened();
  });
});
