import { Parser } from 'htmlparser2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../lambda/web/forms/parse-form.ts';
import { form, linkToken, openHarness, type WebHarness } from './support/harness.ts';

const SCRIPT = '<script>alert(1)</script>';
const QUOTES = `" autofocus onfocus="alert(1)`;

/** Every element and attribute the browser would build: no script, no event handler, no injected element. */
function assertNoInjectedMarkup(html: string): void {
  const tags: string[] = [];
  const attributes: string[] = [];
  const parser = new Parser({
    onopentag: (name, attrs) => {
      tags.push(name);
      attributes.push(...Object.keys(attrs));
    },
  });
  parser.write(html);
  parser.end();
  expect(tags).not.toContain('script');
  expect(tags).not.toContain('img');
  expect(attributes.filter((a) => a.startsWith('on'))).toEqual([]);
}

describe('markup and control characters in alert names and queries', () => {
  let web: WebHarness;
  let token: string;
  const send = (fields: Record<string, string>) => web.post('/manage/alerts', { token, frequency: '', ...fields });
  beforeEach(async () => {
    web = await openHarness();
    token = web.token({ sub: (await web.seed('reader@example.com')).id, purpose: 'manage' });
  });
  afterEach(async () => {
    await web.close();
  });

  it('stores a name and query holding markup as text and escapes them wherever the page shows them', async () => {
    // Act: both parse (markup is just words to the query language) and are saved
    const added = await send({ action: 'add', name: `${SCRIPT}${QUOTES}`, query: `${SCRIPT} OR "x${QUOTES.replaceAll('"', '')}"` });
    const [alert] = (await web.subscriber('reader@example.com'))?.alerts ?? [];
    const page = await web.call('GET', '/manage', { query: { token } });
    const preview = await send({ action: 'preview', alert: alert!.id, name: `${SCRIPT}${QUOTES}`, query: `${SCRIPT}` });
    // Assess
    expect(added.status).toBe(200);
    expect(alert!.name).toBe(`${SCRIPT}${QUOTES}`);
    for (const html of [added.body, page.body, preview.body]) {
      assertNoInjectedMarkup(html);
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot; autofocus onfocus=&quot;alert(1)');
    }
  });

  it('refuses CR/LF in a name or a query, echoing the typed value escaped and with the controls neutralised in the marked query', async () => {
    // Act
    const name = await send({ action: 'add', name: `Evil\r\nBcc: x@example.net`, query: 'JAXA' });
    const query = await send({ action: 'add', name: 'Evil', query: `JAXA\r\n${SCRIPT}` });
    // Assess
    expect([name.status, query.status]).toEqual([400, 400]);
    expect(name.body).toContain('the name holds a control character');
    expect(query.body).toContain('the query holds a control character at 4');
    expect(query.body).toContain('<code aria-hidden="true">JAXA<mark> </mark> &lt;script&gt;');
    for (const html of [name.body, query.body]) assertNoInjectedMarkup(html);
    expect((await web.subscriber('reader@example.com'))?.alerts).toBeUndefined();
  });

  it('escapes a bad query echoed in the error, quotes included', async () => {
    const response = await send({ action: 'add', name: 'x', query: `${QUOTES} AND` });
    expect(response.status).toBe(400);
    expect(response.body).toContain('value="&quot; autofocus onfocus=&quot;alert(1) AND"');
    assertNoInjectedMarkup(response.body);
  });

  it('escapes an alert carried by a confirmation link on the confirm page', async () => {
    await web.post('/subscribe', { email: 'new@example.com', frequency: 'daily', timezone: 'UTC', alertName: `${SCRIPT}${QUOTES}`, alertQuery: `${SCRIPT}` });
    const [confirmation] = await web.newMail();
    const token = linkToken(confirmation!, '/confirm');
    const page = await web.call('GET', '/confirm', { query: { token } });
    expect(page.status).toBe(200);
    assertNoInjectedMarkup(page.body);
    assertNoInjectedMarkup(confirmation!.html);
    expect(confirmation!.text).toContain(`Your alert: ${SCRIPT}${QUOTES} (${SCRIPT})`);
    expect(page.body).toContain('Your alert: <strong>&lt;script&gt;alert(1)&lt;/script&gt;&quot; autofocus onfocus=&quot;alert(1)</strong>');
  });

  it('escapes markup in the stories a preview lists', async () => {
    const at = web.clock.now();
    await web.store.putRecentStory({
      key: 'evil',
      title: `JAXA ${SCRIPT}`,
      text: `JAXA <img src=x onerror=alert(1)>`,
      categories: [],
      url: 'javascript:alert(1)',
      source: `Feed ${SCRIPT}`,
      firstSeenAt: new Date(at.getTime() - 60_000).toISOString(),
      expiresAt: Math.floor(at.getTime() / 1000) + 86_400,
    });
    const response = await send({ action: 'preview', name: '', query: 'JAXA' });
    expect(response.body).toContain('<mark>JAXA</mark> &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(response.body).not.toContain('javascript:');
    expect(response.body).not.toContain('<img');
    assertNoInjectedMarkup(response.body);
  });
});

describe('alert form bodies', () => {
  let web: WebHarness;
  let token: string;
  beforeEach(async () => {
    web = await openHarness();
    token = web.token({ sub: (await web.seed('reader@example.com')).id, purpose: 'manage' });
  });
  afterEach(async () => {
    await web.close();
  });

  it('accepts the largest alert a form can hold (a 100-character name, a 500-character CJK query) within the body cap', async () => {
    const fields = { token, action: 'save', alert: 'aaaaaaaaaa', name: '名'.repeat(100), query: '宇宙'.repeat(250), frequency: 'immediate' };
    await web.seed('reader@example.com', { alerts: [{ id: 'aaaaaaaaaa', name: 'a', query: 'a', paused: false, createdAt: 'x', updatedAt: 'x' }] });
    expect(Buffer.byteLength(form(fields))).toBeLessThan(MAX_BODY_BYTES);
    const response = await web.post('/manage/alerts', fields);
    expect(response.status).toBe(200);
    expect((await web.subscriber('reader@example.com'))?.alerts?.[0]?.query).toBe('宇宙'.repeat(250));
  });

  it('refuses a body over 8 KB with 413 and saves nothing', async () => {
    const response = await web.call('POST', '/manage/alerts', { body: form({ token, action: 'add', name: 'big', query: `JAXA ${'x'.repeat(9000)}`, frequency: '' }) });
    expect(response.status).toBe(413);
    expect((await web.subscriber('reader@example.com'))?.alerts).toBeUndefined();
  });

  it('refuses a field sent twice with 400 and saves nothing', async () => {
    const response = await web.call('POST', '/manage/alerts', { body: `${form({ token, action: 'add', name: 'a', query: 'JAXA' })}&query=ISAS` });
    expect(response.status).toBe(400);
    expect((await web.subscriber('reader@example.com'))?.alerts).toBeUndefined();
  });
});
