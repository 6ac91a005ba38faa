import type { Config } from '../../core/config/schema.ts';
import type { Preferences } from '../forms/subscription-form.ts';
import { escapeHtml } from './escape.ts';
import { renderPage } from './layout.ts';
import { settingsSummary } from './settings-summary.ts';

// Pages reached from links in emails. A GET only ever shows a button: the POST it submits carries
// the signed token (the CSRF protection of these forms), so a mail scanner following the link
// changes nothing.

const hiddenToken = (token: string): string => `<input type="hidden" name="token" value="${escapeHtml(token)}">`;

/** The button activates exactly `settings` (the ones the link carries, or the file's). */
export function confirmPage(token: string, email: string, config: Config, settings: Preferences): string {
  return renderPage({
    title: 'Confirm your subscription',
    body: `<h1>Confirm your subscription</h1>
<p>Press the button to start receiving alerts at <strong>${escapeHtml(email)}</strong>.</p>
${settingsSummary(config, settings)}
<form method="post" action="/confirm">
${hiddenToken(token)}
<button type="submit">Confirm subscription</button>
</form>
<p class="note">Did not ask for this? Close this page; nothing will be sent.</p>`,
  });
}

export function unsubscribePage(token: string, email: string | undefined): string {
  const who = email ? ` for <strong>${escapeHtml(email)}</strong>` : '';
  return renderPage({
    title: 'Unsubscribe',
    body: `<h1>Unsubscribe</h1>
<p>Press the button to stop all Newshound alerts${who}.</p>
<form method="post" action="/unsubscribe">
${hiddenToken(token)}
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button>
</form>`,
  });
}

export function unsubscribedPage(): string {
  return renderPage({
    title: 'You are unsubscribed',
    body: `<h1>You are unsubscribed</h1>
<p>No more alerts will be sent to this address. Changed your mind? <a href="/">Subscribe again</a>.</p>`,
  });
}

