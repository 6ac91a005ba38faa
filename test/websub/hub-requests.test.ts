import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpHubClient } from '../../lambda/adapters/http/http-hub-client.ts';
import { startTestHub, type TestHub } from '../support/websub-hub.ts';

// Hub requests go through the feed fetches' address guard (docs/feeds.md, "Push (WebSub)"): a feed
// cannot make us POST to the metadata service or the VPC by naming it as its hub.

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({ manualVerification: true });
});
afterAll(async () => hub.close());

const form = () => new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.topic': 'https://news.example/feed.xml', 'hub.callback': 'https://alerts.example/websub/00' });

describe('hub requests', () => {
  it('refuses a hub on a loopback address unless fetch.allowPrivateNetworks', async () => {
    const refused = await new HttpHubClient().post(hub.url, form(), { timeoutMs: 5_000, allowPrivateNetworks: false });
    const allowed = await new HttpHubClient().post(hub.url, form(), { timeoutMs: 5_000, allowPrivateNetworks: true });
    expect(refused).toEqual({ error: expect.stringMatching(/127\.0\.0\.1.*loopback.*fetch\.allowPrivateNetworks/) });
    expect(allowed).toEqual({ status: 202, body: '' });
    expect(hub.requests).toHaveLength(1);
  });

  it('asks only http(s) hubs', async () => {
    expect(await new HttpHubClient().post('file:///etc/passwd', form(), { timeoutMs: 5_000, allowPrivateNetworks: true })).toEqual({ error: 'only http and https hubs are asked, not file:' });
  });
});
