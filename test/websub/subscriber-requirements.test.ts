import { afterEach, describe, expect, it } from 'vitest';
import { maintainPush } from '../../lambda/app/websub/maintain-push.ts';
import { unsubscribeFeed } from '../../lambda/app/websub/unsubscribe-feed.ts';
import type { Signing } from '../support/websub-hub.ts';
import { atomFeed, type PushRig, startPushRig } from './support.ts';

// The subscriber's side of W3C WebSub (Recommendation, 23 January 2018), each normative requirement
// with the test that checks it, against the spec-following hub in test/support/websub-hub.ts:
//
//  1. §4 Discovery: the subscriber discovers the hub and the topic (self) URL, from the HTTP Link
//     headers first, else from the links in the document.
//  2. §5.1 Subscriber sends subscription request: a form POST to the hub with hub.callback,
//     hub.mode=subscribe and hub.topic, plus hub.lease_seconds and a hub.secret of less than 200
//     bytes, unique to the subscription (as is the callback URL).
//  3. §5.1.1 A 202 from the hub means accepted, not yet verified: the subscription is pending
//     until the hub verifies intent; any other answer is a failure, retried later.
//  4. §5.3 Hub verifies intent: the subscriber answers 2xx echoing hub.challenge exactly, and only
//     when hub.topic and hub.mode match a request it made and has not yet seen verified...
//  5. §5.3 ...otherwise it answers 404 (unknown callback, wrong topic, wrong mode).
//  6. §5.3 The lease the hub grants (hub.lease_seconds of the verification) is the one recorded.
//  7. §5.2 Subscription validation: a denial (hub.mode=denied, hub.reason) ends the subscription;
//     the subscriber records why.
//  8. §7 Content distribution: the subscriber answers a distribution with a 2xx, and its content
//     is processed like a fetched copy of the topic.
//  9. §8 Authenticated content distribution: a signature (X-Hub-Signature: method=HMAC of the exact
//     body under hub.secret) that does not verify, or is missing, or uses a method the subscriber
//     does not accept (sha1), gets the 2xx all the same, and the content is ignored; sha256 and
//     sha512 verify.
// 10. §5.1 Leases: the subscriber renews (subscribes again) before the lease ends.
// 11. §5.1 Unsubscribing: hub.mode=unsubscribe with the same callback and topic; the hub's
//     verification of that unsubscription is echoed; later distributions are answered 410 (§7: the
//     hub may then end the subscription).
// 12. §5.1 hub.secret SHOULD only be sent over HTTPS: a plain-http hub is not asked for an https
//     feed (for a plain-http feed it is: the feed itself is no better protected).

let rig: PushRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const callbackOf = (r: PushRig, id: string) => `${r.server.url}/websub/${id}`;

describe('W3C WebSub subscriber requirements', () => {
  it('1. subscribes at the hub of the Link header rather than the document\'s, with the header\'s self as topic', async () => {
    rig = await startPushRig();
    const r = rig;
    r.feeds.route('/feed.xml', {
      body: atomFeed('https://news.example/document-self.xml', 'http://127.0.0.1:9/document-hub', ['JAXA first report']),
      headers: { 'content-type': 'application/atom+xml', link: `<${r.hub.url}>; rel="hub", <${r.feedUrl}>; rel="self"` },
    });
    await r.poll();
    await r.hub.settled();
    expect(r.hub.requests).toHaveLength(1);
    expect(r.hub.requests[0]?.topic).toBe(r.feedUrl);
    expect((await r.pushState())?.hub).toBe(r.hub.url);
  });

  it('2. sends hub.callback, hub.mode, hub.topic, hub.lease_seconds and a secret under 200 bytes, each unique to the subscription', async () => {
    rig = await startPushRig();
    await rig.poll();
    await rig.hub.settled();
    const first = rig.hub.requests[0];
    const state = await rig.pushState();
    expect(first).toMatchObject({ mode: 'subscribe', topic: rig.feedUrl, leaseSeconds: 864_000 });
    expect(first?.callback).toMatch(new RegExp(`^${rig.server.url}/websub/[0-9a-f]{32}$`));
    expect(first?.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(Buffer.byteLength(first?.secret ?? '')).toBeLessThan(200);
    // A new subscription (the hub moved) gets a new callback and a new secret.
    rig.feeds.route('/feed.xml', { body: atomFeed(rig.feedUrl, `${rig.hub.url}moved`, ['JAXA first report']) });
    await rig.poll();
    const second = rig.hub.requests[1];
    expect(second?.callback).not.toBe(first?.callback);
    expect(second?.secret).not.toBe(first?.secret);
    expect(state?.callbackId).toBe(first?.callback.split('/').pop());
  });

  it('3. is pending after the hub\'s 202 until the hub verifies intent, then active', async () => {
    rig = await startPushRig({ manualVerification: true });
    await rig.poll();
    expect((await rig.pushState())?.state).toBe('pending');
    await rig.hub.verifyHeld();
    expect((await rig.pushState())?.state).toBe('active');
  });

  it('4. echoes hub.challenge (200, text/plain) for the subscription it requested', async () => {
    rig = await startPushRig({ manualVerification: true });
    await rig.poll();
    const state = await rig.pushState();
    const answer = await rig.hub.verify(callbackOf(rig, state?.callbackId ?? ''), { 'hub.mode': 'subscribe', 'hub.topic': rig.feedUrl, 'hub.challenge': 'a1b2-challenge', 'hub.lease_seconds': '3600' });
    expect(answer).toEqual({ status: 200, body: 'a1b2-challenge' });
    expect((await rig.pushState())?.state).toBe('active');
  });

  it('5. answers 404 to a verification of an unknown callback, another topic or another mode, and changes nothing', async () => {
    rig = await startPushRig({ manualVerification: true });
    await rig.poll();
    const state = await rig.pushState();
    const callback = callbackOf(rig, state?.callbackId ?? '');
    const verify = (url: string, params: Record<string, string>) => rig!.hub.verify(url, { 'hub.challenge': 'c', 'hub.lease_seconds': '3600', ...params });
    const unknown = await verify(callbackOf(rig, '0'.repeat(32)), { 'hub.mode': 'subscribe', 'hub.topic': rig.feedUrl });
    const wrongTopic = await verify(callback, { 'hub.mode': 'subscribe', 'hub.topic': 'https://elsewhere.example/feed.xml' });
    const wrongMode = await verify(callback, { 'hub.mode': 'unsubscribe', 'hub.topic': rig.feedUrl });
    const noChallenge = await rig.hub.verify(callback, { 'hub.mode': 'subscribe', 'hub.topic': rig.feedUrl });
    expect([unknown.status, wrongTopic.status, wrongMode.status, noChallenge.status]).toEqual([404, 404, 404, 404]);
    expect([unknown.body, wrongTopic.body, wrongMode.body]).toEqual(['', '', '']);
    expect((await rig.pushState())?.state).toBe('pending');
    // Once verified, the same verification is no longer a request of ours.
    await rig.hub.verifyHeld();
    const replayed = await verify(callback, { 'hub.mode': 'subscribe', 'hub.topic': rig.feedUrl });
    expect(replayed.status).toBe(404);
  });

  it('6. records the lease the hub granted', async () => {
    rig = await startPushRig();
    rig.hub.grantLease(7_200);
    await rig.poll();
    await rig.hub.settled();
    const state = await rig.pushState();
    expect(state?.leaseSeconds).toBe(7_200);
    expect(Date.parse(state?.leaseEndsAt ?? '') - Date.parse(state?.verifiedAt ?? '')).toBe(7_200_000);
  });

  it('7. records a denial as failed, with the hub\'s reason', async () => {
    rig = await startPushRig();
    await rig.poll();
    await rig.hub.settled();
    const state = await rig.pushState();
    const status = await rig.hub.deny(callbackOf(rig, state?.callbackId ?? ''), rig.feedUrl, 'topic not allowed');
    expect(status).toBe(200);
    expect(await rig.pushState()).toMatchObject({ state: 'failed', reason: 'denied by the hub: topic not allowed' });
  });

  it('8. answers a distribution with 2xx and records its new story as a poll would, without moving the next poll', async () => {
    rig = await startPushRig();
    await rig.poll();
    await rig.hub.settled();
    const dueBefore = (await rig.feedState())?.nextDueAt;
    const statuses = await rig.hub.publish(rig.feedUrl, atomFeed(rig.feedUrl, rig.hub.url, ['JAXA pushed story']));
    expect(statuses).toEqual([200]);
    expect(await rig.hitTitles()).toEqual(['JAXA first report', 'JAXA pushed story']);
    expect((await rig.feedState())?.nextDueAt).toBe(dueBefore);
    expect((await rig.pushState())?.lastPushAt).toBeDefined();
  });

  it('9. acknowledges a distribution with an invalid, missing or sha1 signature and ignores it; sha256 and sha512 verify', async () => {
    rig = await startPushRig();
    await rig.poll();
    await rig.hub.settled();
    const r = rig;
    const publish = (title: string, signing: Signing) => r.hub.publish(r.feedUrl, atomFeed(r.feedUrl, r.hub.url, [title]), { signing });
    const ignored = [
      await publish('JAXA wrong secret', 'wrong-secret'),
      await publish('JAXA tampered body', 'tampered'),
      await publish('JAXA unsigned', 'none'),
      await publish('JAXA sha1 signed', 'sha1'),
    ];
    expect(ignored).toEqual([[200], [200], [200], [200]]);
    expect(await r.hitTitles()).toEqual(['JAXA first report']);
    expect(await publish('JAXA sha256 signed', 'sha256')).toEqual([200]);
    expect(await publish('JAXA sha512 signed', 'sha512')).toEqual([200]);
    expect(await r.hitTitles()).toEqual(['JAXA first report', 'JAXA sha256 signed', 'JAXA sha512 signed']);
  });

  it('10. renews the subscription, same callback and secret, at the first poll within a day of the lease\'s end', async () => {
    rig = await startPushRig();
    rig.hub.grantLease(3 * 86_400);
    await rig.poll();
    await rig.hub.settled();
    const first = await rig.pushState();
    // Polls while more than a day is left ask nothing of the hub.
    rig.advance(86_400_000);
    await rig.poll();
    expect(rig.hub.requests).toHaveLength(1);
    rig.advance(86_400_000 + 60_000);
    await rig.poll();
    await rig.hub.settled();
    const renewed = await rig.pushState();
    expect(rig.hub.requests).toHaveLength(2);
    expect(rig.hub.requests[1]).toMatchObject({ mode: 'subscribe', callback: rig.hub.requests[0]?.callback, secret: rig.hub.requests[0]?.secret });
    expect(renewed?.state).toBe('active');
    expect(Date.parse(renewed?.leaseEndsAt ?? '')).toBeGreaterThan(Date.parse(first?.leaseEndsAt ?? ''));
    expect(renewed?.renewalRequestedAt).toBeUndefined();
  });

  it('11. unsubscribes with the same callback and topic, echoes the hub\'s verification, and answers later distributions 410', async () => {
    rig = await startPushRig();
    await rig.poll();
    await rig.hub.settled();
    const { worker } = rig;
    const done = await unsubscribeFeed({ ...worker.push, callbackBase: worker.push.callbackBase }, rig.feedUrl);
    await rig.hub.settled();
    expect(done).toMatch(/unsubscribe requested/);
    expect(rig.hub.requests[1]).toMatchObject({ mode: 'unsubscribe', topic: rig.feedUrl, callback: rig.hub.requests[0]?.callback });
    expect(rig.hub.verifications.at(-1)).toMatchObject({ mode: 'unsubscribe', echoed: true });
    expect(await rig.pushState()).toBeUndefined();
    expect(rig.hub.subscriptions.size).toBe(0);
    const late = await fetch(rig.hub.requests[0]?.callback ?? '', { method: 'POST', body: atomFeed(rig.feedUrl, rig.hub.url, ['JAXA late story']), headers: { 'x-hub-signature': 'sha256=00' } });
    expect(late.status).toBe(410);
  });

  it('12. sends no secret to a plain-http hub for an https feed', async () => {
    rig = await startPushRig();
    const done = await maintainPush(rig.worker.push, 'https://news.example/feed.xml', { hubs: [rig.hub.url] }, undefined, { newItemTimes: [] });
    expect(done).toBeUndefined();
    expect(rig.hub.requests).toHaveLength(0);
    expect((await rig.store.getPushStates(['https://news.example/feed.xml'])).size).toBe(0);
  });
});
