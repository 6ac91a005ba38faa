import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Subscriber } from '../../lambda/core/domain/subscriber.ts';
import { subscriberId } from '../../lambda/core/ids/subscriber-id.ts';
import { FILE_SUBSCRIBER, openHarness, type WebHarness } from './support/harness.ts';

describe('the manage page: /manage', () => {
  let web: WebHarness;
  let reader: Subscriber;
  let token: string;
  beforeEach(async () => {
    web = await openHarness();
    reader = await web.seed('reader@example.com', { topics: ['jaxa', 'tick'], frequency: 'daily', timezone: 'Asia/Tokyo' });
    token = web.token({ sub: reader.id, purpose: 'manage' });
  });
  afterEach(async () => {
    await web.close();
  });

  it('shows the current topics, frequency and time zone in a form', async () => {
    const page = await web.call('GET', '/manage', { query: { token } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('name="topics" value="jaxa" id="topics" checked>');
    expect(page.body).toContain('name="topics" value="tick" checked>');
    expect(page.body).toContain('name="topics" value="unit-61419">');
    expect(page.body).toContain('name="frequency" value="daily" checked>');
    expect(page.body).toContain('<option selected>Asia/Tokyo</option>');
    expect(page.body).toContain('<form method="post" action="/unsubscribe">');
    expect(await web.subscriber('reader@example.com')).toEqual(reader);
  });

  it('saves new settings posted with the token', async () => {
    // Act
    const response = await web.post('/manage', { token, topics: ['tick', 'unit-61419'], frequency: 'hourly', timezone: 'Europe/Paris' });
    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toContain('Saved.');
    expect(await web.subscriber('reader@example.com')).toMatchObject({
      status: 'active',
      topics: ['tick', 'unit-61419'],
      frequency: 'hourly',
      timezone: 'Europe/Paris',
    });
  });

  it('lets an address the operator added change its own settings, like one that subscribed itself', async () => {
    // Prepare
    const added = await web.seed('added@example.com', { source: 'operator', topics: ['jaxa'] });
    const addedToken = web.token({ sub: added.id, purpose: 'manage' });
    // Act
    const page = await web.call('GET', '/manage', { query: { token: addedToken } });
    const saved = await web.post('/manage', { token: addedToken, topics: ['tick'], frequency: 'daily', timezone: 'UTC' });
    // Assess
    expect(page.body).toContain('<form method="post" action="/manage">');
    expect(saved.status).toBe(200);
    expect(await web.subscriber('added@example.com')).toMatchObject({ source: 'operator', topics: ['tick'], frequency: 'daily' });
  });

  it('refuses an empty topic list or an unknown zone with 400, naming the field, and saves nothing', async () => {
    const noTopics = await web.post('/manage', { token, frequency: 'hourly', timezone: 'UTC' });
    const badZone = await web.post('/manage', { token, topics: 'tick', frequency: 'hourly', timezone: 'Mars/Olympus' });
    expect([noTopics.status, badZone.status]).toEqual([400, 400]);
    expect(noTopics.body).toContain('Topics: choose at least one topic');
    expect(badZone.body).toContain('Time zone: choose a time zone from the list');
    expect(await web.subscriber('reader@example.com')).toEqual(reader);
  });

  it('refuses a post without a valid manage token (the token is the CSRF guard)', async () => {
    const forged = await web.post('/manage', { topics: 'tick', frequency: 'hourly', timezone: 'UTC' });
    const wrongPurpose = await web.post('/manage', { token: web.token({ sub: reader.id, purpose: 'unsubscribe' }), topics: 'tick', frequency: 'hourly', timezone: 'UTC' });
    expect([forged.status, wrongPurpose.status]).toEqual([400, 400]);
    expect(await web.subscriber('reader@example.com')).toEqual(reader);
  });

  it('shows a config-file subscriber its settings read-only and refuses changes (the file wins)', async () => {
    const fileToken = web.token({ sub: subscriberId(FILE_SUBSCRIBER), purpose: 'manage' });
    const page = await web.call('GET', '/manage', { query: { token: fileToken } });
    const post = await web.post('/manage', { token: fileToken, topics: 'jaxa', frequency: 'hourly', timezone: 'UTC' });
    expect(page.status).toBe(200);
    expect(page.body).toContain("operator's configuration file");
    expect(page.body).not.toContain('action="/manage"');
    expect(page.body).toContain('Topics: PLA Unit 61419.');
    expect(post.status).toBe(409);
    expect(await web.subscriber(FILE_SUBSCRIBER)).toBeUndefined();
  });

  it('has nothing to manage for a suppressed address (410)', async () => {
    await web.store.suppress({ subscriberId: reader.id, email: reader.email, reason: 'bounce: Permanent/General', at: web.clock.now().toISOString() });
    const page = await web.call('GET', '/manage', { query: { token } });
    const post = await web.post('/manage', { token, topics: 'tick', frequency: 'hourly', timezone: 'UTC' });
    expect([page.status, post.status]).toEqual([410, 410]);
    expect(await web.subscriber('reader@example.com')).toEqual(reader);
  });

  it('has nothing to manage for an unsubscribed address (410), and does not re-activate it', async () => {
    await web.store.putSubscriber({ ...reader, status: 'unsubscribed' });
    const page = await web.call('GET', '/manage', { query: { token } });
    const post = await web.post('/manage', { token, topics: 'tick', frequency: 'hourly', timezone: 'UTC' });
    expect([page.status, post.status]).toEqual([410, 410]);
    expect(await web.subscriber('reader@example.com')).toMatchObject({ status: 'unsubscribed' });
  });
});
