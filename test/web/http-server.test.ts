import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type RunningWebServer } from '../../lambda/web/node-server.ts';
import { openHarness, type WebHarness } from './support/harness.ts';

// The node:http adapter `serve` uses, over a real socket.
describe('the HTTP server behind newshound serve', () => {
  let web: WebHarness;
  let server: RunningWebServer;
  beforeAll(async () => {
    web = await openHarness();
    server = await startWebServer(() => web.deps, { port: 0 });
  });
  afterAll(async () => {
    await server.close();
    await web.close();
  });

  it('listens on 127.0.0.1 and serves the subscribe page with its security headers', async () => {
    const response = await fetch(`${server.url}/`);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await response.text()).toContain('Subscribe to news alerts');
  });

  it('answers HEAD without a body', async () => {
    const response = await fetch(`${server.url}/`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('refuses a 2 MB body with 413 without reading it all, and stores nothing', async () => {
    // Act: a raw request, so the client keeps writing while the server has already answered
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/subscribe`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
      req.write(`email=big%40example.com&topics=jaxa&padding=`);
      req.end('x'.repeat(2 * 1024 * 1024));
    });
    // Assess
    expect(status).toBe(413);
    expect(await web.store.listSubscribers()).toEqual([]);
  });

  it('takes an RFC 8058 one-click POST: 200 and no cookie', async () => {
    // Prepare
    const reader = await web.seed('reader@example.com');
    const token = web.token({ sub: reader.id, purpose: 'unsubscribe' });
    // Act
    const response = await fetch(`${server.url}/unsubscribe?token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await web.subscriber('reader@example.com')).toMatchObject({ status: 'unsubscribed' });
  });
});
