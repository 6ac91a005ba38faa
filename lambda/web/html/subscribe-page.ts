import type { Config } from '../../core/config/schema.ts';
import type { FieldError, FormDraft } from '../forms/subscription-form.ts';
import { escapeHtml } from './escape.ts';
import { renderPage } from './layout.ts';
import { errorSummary, preferenceFields } from './preference-fields.ts';

const EMPTY_DRAFT: FormDraft = { email: '', topics: [], frequency: 'immediate', timezone: 'UTC' };

/** GET / and a POST /subscribe that failed validation (then with the visitor's values and errors). */
export function subscribePage(config: Config, draft: FormDraft = EMPTY_DRAFT, errors: readonly FieldError[] = []): string {
  const emailInvalid = errors.some((e) => e.field === 'email') ? ' aria-invalid="true"' : '';
  const body = `<h1>Subscribe to news alerts</h1>
<p>Pick the topics you care about. We email you the matching stories, each story once.</p>
${errorSummary(errors)}
<form method="post" action="/subscribe">
<div class="field">
<label for="email">Email address</label>
<input type="email" id="email" name="email" required maxlength="254" autocomplete="email" value="${escapeHtml(draft.email ?? '')}"${emailInvalid}>
</div>
${preferenceFields(config, draft, errors, errors.length > 0)}
<button type="submit">Subscribe</button>
</form>
<p class="note">We send a confirmation link first; nothing arrives until you press it. Every email has a one-click unsubscribe link.</p>`;
  return renderPage({ title: 'Subscribe', body, timezoneScript: true });
}

/** The answer to every accepted POST /subscribe: the same bytes whether the address is new, known or rate-limited. */
export function checkInboxPage(): string {
  return renderPage({
    title: 'Check your inbox',
    body: `<h1>Check your inbox</h1>
<p>If the address can receive our email, a message with a confirmation link is on its way. Open it and press <strong>Confirm</strong> to start receiving alerts.</p>
<p class="note">The link works once and expires in 48 hours. Nothing arrived? Check your spam folder, or try again later.</p>`,
  });
}
