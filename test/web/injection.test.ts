import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../lambda/web/html/layout.ts';
import { openHarness, type WebHarness } from './support/harness.ts';

const SCRIPT = '<script>alert(1)</script>';

/** The only script a page may hold is the time-zone prefill, allowed by hash in the CSP. */
function assertNoInjectedMarkup(html: string): void {
  expect(html).not.toContain(SCRIPT);
  // With every quoted attribute value blanked, no event-handler attribute may be left over.
  const outsideValues = html.replace(/="[^"]*"/g, '=""');
  expect(outsideValues).not.toMatch(/\son[a-z]+=/i);
  const scripts = html.match(/<script[\s>]/g) ?? [];
  expect(scripts.length).toBeLessThanOrEqual(1);
}

describe('header and HTML injection in every field', () => {
  let web: WebHarness;
  beforeEach(async () => {
    web = await openHarness();
  });
  afterEach(async () => {
    await web.close();
  });

  it('refuses an email holding CR LF + Bcc: no subscriber, no email, the value echoed escaped', async () => {
    // Act
    const response = await web.post('/subscribe', { email: 'victim@example.com\r\nBcc: spam@example.net', topics: 'jaxa' });
    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toContain('Email: enter a valid email address');
    expect(await web.store.listSubscribers()).toEqual([]);
    expect(await web.emails()).toEqual([]);
  });

  it.each([
    ['email', { email: `"><script>alert(1)</script>"@example.com`, topics: 'jaxa' }],
    ['topics', { email: 'a@example.com', topics: `jaxa"><script>alert(1)</script>` }],
    ['frequency', { email: 'a@example.com', topics: 'jaxa', frequency: `daily"><script>alert(1)</script>` }],
    ['timezone', { email: 'a@example.com', topics: 'jaxa', timezone: `<script>alert(1)</script>` }],
  ])('escapes markup sent in %s and stores nothing', async (_field, fields) => {
    const response = await web.post('/subscribe', fields);
    expect(response.status).toBe(400);
    assertNoInjectedMarkup(response.body);
    expect(await web.store.listSubscribers()).toEqual([]);
  });

  it('echoes a rejected email only inside an escaped attribute value', async () => {
    const response = await web.post('/subscribe', { email: `x" onfocus="alert(1)`, topics: 'jaxa' });
    expect(response.body).toContain('value="x&quot; onfocus=&quot;alert(1)"');
    assertNoInjectedMarkup(response.body);
  });

  it('never reflects a token into a page', async () => {
    for (const path of ['/confirm', '/manage', '/unsubscribe']) {
      const response = await web.call('GET', path, { query: { token: `"><script>alert(1)</script>` } });
      expect(response.status).toBe(400);
      expect(response.body).not.toContain('alert(1)');
    }
  });

  it('escapes stored text (an address with markup) on the token pages', async () => {
    const odd = await web.seed(`o'brien+<b>@example.com`);
    const page = await web.call('GET', '/unsubscribe', { query: { token: web.token({ sub: odd.id, purpose: 'unsubscribe' }) } });
    expect(page.body).toContain('o&#39;brien+&lt;b&gt;@example.com');
  });

  it('sends every page with a CSP that forbids injected scripts, framing and foreign forms', async () => {
    const page = await web.call('GET', '/');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-[^']+'; form-action 'self'; frame-ancestors 'none'/);
    expect(page.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
    });
  });

  it('keeps a confirmation email to one recipient with clean headers', async () => {
    await web.subscribe('reader@example.com');
    const [mail] = await web.emails();
    const head = mail!.raw.slice(0, mail!.raw.indexOf('\r\n\r\n'));
    expect(head).toMatch(/^To: reader@example\.com$/m);
    expect(head).not.toMatch(/^(Bcc|Cc):/im);
    expect(mail!.mail.from?.value).toEqual([{ name: 'Newshound Alerts', address: 'alerts@example.com' }]);
  });
});
