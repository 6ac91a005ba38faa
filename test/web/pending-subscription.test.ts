import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { subscriberId } from '../../lambda/core/ids/subscriber-id.ts';
import { linkToken, openHarness, T0, type WebHarness } from './support/harness.ts';

// docs/subscriptions.md, "How a subscription moves": a confirmation link activates the settings
// chosen in the request that sent it, so nobody but the mailbox owner decides what a pending
// address ends up subscribed to.

const OWNER = 'owner@example.com';
const ATTACKER_IP = '203.0.113.66';

describe('a pending subscription belongs to whoever reads the mailbox', () => {
  let web: WebHarness;
  let ownerLink: string;
  beforeEach(async () => {
    web = await openHarness();
    await web.post('/subscribe', { email: OWNER, topics: ['jaxa', 'tick'], frequency: 'daily', timezone: 'Asia/Tokyo' });
    ownerLink = linkToken((await web.newMail())[0]!, '/confirm');
  });
  afterEach(async () => {
    await web.close();
  });

  const attack = () =>
    web.post('/subscribe', { email: 'OWNER@example.com', topics: ['unit-61419'], frequency: 'immediate', timezone: 'UTC' }, { ip: ATTACKER_IP });

  it("activates the owner's topics, frequency and time zone although a stranger re-subscribed the address with others", async () => {
    // Prepare
    await attack();
    // Act
    const confirmed = await web.post('/confirm', { token: ownerLink });
    // Assess
    expect(confirmed.status).toBe(200);
    expect(await web.subscriber(OWNER)).toMatchObject({
      email: OWNER,
      status: 'active',
      topics: ['jaxa', 'tick'],
      frequency: 'daily',
      timezone: 'Asia/Tokyo',
    });
  });

  it('leaves the pending record as the first request stored it when a stranger re-subscribes', async () => {
    // Prepare
    const before = await web.subscriber(OWNER);
    // Act
    await attack();
    // Assess
    expect(await web.subscriber(OWNER)).toEqual(before);
  });

  it("shows on the confirmation page exactly the settings the link activates, the stranger's link its own", async () => {
    // Prepare
    await attack();
    const strangerLink = linkToken((await web.newMail())[0]!, '/confirm');
    // Act
    const ownerPage = await web.call('GET', '/confirm', { query: { token: ownerLink } });
    const strangerPage = await web.call('GET', '/confirm', { query: { token: strangerLink } });
    // Assess
    expect(ownerPage.body).toContain('Attacks on JAXA &amp; &lt;ISAS&gt;, Tick (BRONZE BUTLER)');
    expect(ownerPage.body).toContain('daily');
    expect(ownerPage.body).toContain('Asia/Tokyo');
    expect(ownerPage.body).not.toContain('PLA Unit 61419');
    expect(strangerPage.body).toContain('PLA Unit 61419');
    expect(strangerPage.body).not.toContain('Tick (BRONZE BUTLER)');
  });

  it("activates the stranger's settings only if the owner presses the stranger's own link", async () => {
    // Prepare
    await attack();
    const strangerLink = linkToken((await web.newMail())[0]!, '/confirm');
    // Act
    await web.post('/confirm', { token: strangerLink });
    // Assess
    expect(await web.subscriber(OWNER)).toMatchObject({ status: 'active', topics: ['unit-61419'], frequency: 'immediate', timezone: 'UTC' });
  });

  it('refuses a link whose settings were edited, and activates nothing', async () => {
    // Prepare: the signed part re-encoded with other topics, the signature kept
    const [body, signature] = ownerLink.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    const edited = { ...payload, settings: { ...payload.settings, topics: ['unit-61419'] } };
    const forged = `${Buffer.from(JSON.stringify(edited)).toString('base64url')}.${signature}`;
    // Act
    const response = await web.post('/confirm', { token: forged });
    // Assess
    expect(response.status).toBe(400);
    expect(await web.subscriber(OWNER)).toMatchObject({ status: 'pending' });
  });

  it('keeps an active subscription as it is when an older confirmation link is pressed later', async () => {
    // Prepare: the owner asks twice with different topics and confirms the second link
    web.clock.advanceHours(1);
    await web.post('/subscribe', { email: OWNER, topics: ['unit-61419'], frequency: 'hourly', timezone: 'UTC' });
    const secondLink = linkToken((await web.newMail())[0]!, '/confirm');
    await web.post('/confirm', { token: secondLink });
    // Act
    const response = await web.post('/confirm', { token: ownerLink });
    // Assess
    expect(response.status).toBe(200);
    expect(await web.subscriber(OWNER)).toMatchObject({ status: 'active', topics: ['unit-61419'], frequency: 'hourly' });
  });

  it('drops topics the operator removed since the request, and refuses a link left with none', async () => {
    // Prepare
    await web.post('/subscribe', { email: 'solo@example.com', topics: ['tick'], frequency: 'daily', timezone: 'UTC' });
    const soloLink = linkToken((await web.newMail())[0]!, '/confirm');
    web.deps.config = { ...web.deps.config, topics: web.deps.config.topics.filter((t) => t.id !== 'tick') };
    // Act
    const owner = await web.post('/confirm', { token: ownerLink });
    const solo = await web.post('/confirm', { token: soloLink });
    // Assess
    expect(owner.status).toBe(200);
    expect(await web.subscriber(OWNER)).toMatchObject({ status: 'active', topics: ['jaxa'] });
    expect(solo.status).toBe(410);
    expect(await web.subscriber('solo@example.com')).toMatchObject({ status: 'pending' });
  });
});

describe('settings that travel in the confirmation link', () => {
  let web: WebHarness;
  beforeEach(async () => {
    web = await openHarness();
  });
  afterEach(async () => {
    await web.close();
  });

  it('activates nothing with a signed confirmation link that names no settings', async () => {
    // Prepare: pending, and a link signed with the right key but carrying only id, expiry and nonce
    await web.subscribe('new@example.com');
    const bare = web.token({ sub: subscriberId('new@example.com'), purpose: 'confirm', exp: T0.getTime() / 1000 + 3600, nonce: 'n-1' });
    // Act
    const response = await web.post('/confirm', { token: bare });
    // Assess
    expect(response.status).toBe(410);
    expect(response.body).toContain('Subscribe again');
    expect(await web.subscriber('new@example.com')).toMatchObject({ status: 'pending' });
  });

  it('asks for fewer topics when the choice is too long for one link, storing and sending nothing', async () => {
    // Prepare: a config with many long topic ids
    const topics = Array.from({ length: 120 }, (_, i) => ({ id: `a-rather-long-topic-id-${i}`, name: `Topic ${i}`, query: `word${i}` }));
    web.deps.config = { ...web.deps.config, topics };
    const form = (ids: string[]) => ({ email: 'keen@example.com', topics: ids, frequency: 'daily', timezone: 'UTC' });
    // Act
    const all = await web.post('/subscribe', form(topics.map((t) => t.id)));
    const afterAll = { stored: await web.subscriber('keen@example.com'), mail: await web.newMail() };
    const some = await web.post('/subscribe', form(topics.slice(0, 10).map((t) => t.id)));
    // Assess
    expect(all.status).toBe(400);
    expect(all.body).toContain('too many topics for one confirmation link');
    expect(afterAll).toEqual({ stored: undefined, mail: [] });
    expect(some.status).toBe(200);
    expect(await web.newMail()).toHaveLength(1);
  });
});
