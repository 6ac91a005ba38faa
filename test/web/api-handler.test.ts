import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandler } from '../../lambda/handlers/api.ts';
import { form, linkToken, openHarness, type WebHarness } from './support/harness.ts';

/** A payload-2.0 event as API Gateway's HTTP API (and a Function URL) sends it. */
function httpEvent(method: string, path: string, options: { query?: string; body?: string; base64?: boolean; ip?: string } = {}) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: options.query ?? '',
    headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'abc123.execute-api.eu-west-1.amazonaws.com' },
    ...(options.body === undefined
      ? {}
      : { body: options.base64 ? Buffer.from(options.body).toString('base64') : options.body, isBase64Encoded: options.base64 ?? false }),
    requestContext: { domainName: 'abc123.execute-api.eu-west-1.amazonaws.com', http: { method, path, sourceIp: options.ip ?? '203.0.113.9' } },
  };
}

describe('the API Lambda handler (HTTP API payload 2.0)', () => {
  let web: WebHarness;
  let handler: ReturnType<typeof createApiHandler>;
  beforeAll(async () => {
    web = await openHarness();
    handler = createApiHandler(async () => web.deps);
  });
  afterAll(async () => {
    await web.close();
  });

  it('serves the subscribe page with its headers', async () => {
    const result = await handler(httpEvent('GET', '/'));
    expect(result.statusCode).toBe(200);
    expect(result.headers['content-security-policy']).toContain("default-src 'none'");
    expect(result.body).toContain('Subscribe to news alerts');
  });

  it('runs the whole opt-in from a base64 body (as API Gateway sends forms) to a one-click unsubscribe', async () => {
    // Act
    const subscribed = await handler(
      httpEvent('POST', '/subscribe', { body: form({ email: 'lambda@example.com', topics: 'jaxa', frequency: 'immediate', timezone: 'UTC' }), base64: true }),
    );
    const token = linkToken((await web.newMail())[0]!, '/confirm');
    const confirmed = await handler(httpEvent('POST', '/confirm', { body: form({ token }) }));
    const active = await web.subscriber('lambda@example.com');
    const unsubscribe = web.token({ sub: active!.id, purpose: 'unsubscribe' });
    const oneClick = await handler(httpEvent('POST', '/unsubscribe', { query: `token=${unsubscribe}`, body: 'List-Unsubscribe=One-Click' }));
    // Assess
    expect([subscribed.statusCode, confirmed.statusCode, oneClick.statusCode]).toEqual([200, 200, 200]);
    expect(active?.status).toBe('active');
    expect(await web.subscriber('lambda@example.com')).toMatchObject({ status: 'unsubscribed' });
  });

  it('answers 500 without details when the cold start fails, and when the event is not HTTP', async () => {
    const silent = new Logger({ logLevel: 'SILENT' });
    const broken = createApiHandler(async () => {
      throw new Error('secret arn:aws:secretsmanager:... unreadable');
    }, silent);
    handler = createApiHandler(async () => web.deps, silent);
    const result = await broken(httpEvent('GET', '/'));
    const notHttp = await handler({ source: 'aws.scheduler' });
    expect([result.statusCode, notHttp.statusCode]).toEqual([500, 500]);
    expect(result.body).not.toContain('secret');
  });
});
