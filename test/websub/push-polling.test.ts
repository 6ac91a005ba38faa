import { afterEach, describe, expect, it } from 'vitest';
import { atomFeed, type PushRig, startPushRig } from './support.ts';

// Polling stays the safety net of push (docs/scheduling.md, "Push"): a trusted subscription slows
// polling to schedule.maxMinutes; a hub that fails, goes quiet or lets its lease end puts the feed
// back on adaptive polling, and the subscription is tried again.

let rig: PushRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** Titles of a feed posting every 10 minutes, newest first. */
const everyTenMinutes = (n: number) => Array.from({ length: n }, (_, i) => `JAXA bulletin ${n - i}`);

describe('push and polling', () => {
  it('keeps polling adaptively and records the stories when the hub refuses the subscription, and tries the hub again after the backoff', async () => {
    rig = await startPushRig();
    rig.hub.failWith(500);
    await rig.poll();
    const refused = await rig.pushState();
    const polled = await rig.feedState();
    expect(refused).toMatchObject({ state: 'failed', reason: 'hub answered 500: hub is refusing subscriptions', failures: 1 });
    expect(polled?.intervalReason).toBe('no history yet');
    expect(await rig.hitTitles()).toEqual(['JAXA first report']);
    // The feed's next poll (10 min) reaches the retry time (10 min): the hub, working again, is asked.
    rig.hub.failWith(undefined);
    await rig.poll();
    await rig.hub.settled();
    expect(rig.hub.requests).toHaveLength(2);
    expect(await rig.pushState()).toMatchObject({ state: 'active' });
    expect((await rig.pushState())?.failures).toBeUndefined();
  });

  it('backs off further after each refusal: no hub request at a poll before the retry time', async () => {
    rig = await startPushRig();
    rig.hub.failWith(503);
    await rig.poll();
    await rig.poll(); // at the retry time: asked again, refused again (now 20 min to wait)
    await rig.poll(); // 10 min later: still waiting
    expect(rig.hub.requests).toHaveLength(2);
    expect((await rig.pushState())?.failures).toBe(2);
  });

  it('polls a feed with a trusted push only at schedule.maxMinutes', async () => {
    rig = await startPushRig();
    await rig.poll();
    await rig.hub.settled();
    await rig.poll();
    const state = await rig.feedState();
    expect(state?.intervalReason).toBe('push active');
    expect(state?.intervalMinutes).toBe(360);
  });

  it('goes back to adaptive polling and subscribes again when the push has been quiet for twice the feed\'s usual gap', async () => {
    rig = await startPushRig();
    const r = rig;
    r.feeds.route('/feed.xml', () => ({ body: atomFeed(r.feedUrl, r.hub.url, everyTenMinutes(8), r.now(), 10) }));
    await r.poll();
    await r.hub.settled();
    await r.poll();
    expect((await r.feedState())?.intervalReason).toBe('push active');
    // Six hours on, the feed has posted (the poll sees new entries) but the hub pushed nothing.
    await r.poll();
    await r.hub.settled();
    const state = await r.feedState();
    expect(state?.intervalReason).not.toMatch(/push/);
    expect(state?.intervalMinutes).toBeLessThan(360);
    expect(r.hub.requests).toHaveLength(2);
    expect(r.hub.requests[1]?.callback).toBe(r.hub.requests[0]?.callback);
  });

  it('subscribes afresh when the lease ended before any poll could renew it', async () => {
    rig = await startPushRig();
    rig.hub.grantLease(600);
    await rig.poll();
    await rig.hub.settled();
    const first = await rig.pushState();
    rig.advance(3_600_000);
    await rig.poll();
    await rig.hub.settled();
    const again = await rig.pushState();
    expect(rig.hub.requests).toHaveLength(2);
    expect(again?.state).toBe('active');
    expect(Date.parse(again?.leaseEndsAt ?? '')).toBeGreaterThan(Date.parse(first?.leaseEndsAt ?? ''));
  });

  it('acknowledges distributions over the per-feed rate and leaves their stories to the next poll', async () => {
    rig = await startPushRig({ maxPushesPerMinute: 1 });
    await rig.poll();
    await rig.hub.settled();
    const first = await rig.hub.publish(rig.feedUrl, atomFeed(rig.feedUrl, rig.hub.url, ['JAXA first push']));
    const second = await rig.hub.publish(rig.feedUrl, atomFeed(rig.feedUrl, rig.hub.url, ['JAXA second push']));
    expect([first, second]).toEqual([[200], [200]]);
    expect(await rig.hitTitles()).toEqual(['JAXA first push', 'JAXA first report']);
  });

  it('refuses a distribution larger than fetch.maxBytes unread', async () => {
    rig = await startPushRig();
    await rig.poll();
    await rig.hub.settled();
    const statuses = await rig.hub.publish(rig.feedUrl, Buffer.alloc(5_000_001, 0x20));
    expect(statuses).toEqual([413]);
  });
});
