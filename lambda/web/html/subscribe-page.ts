import type { Config } from '../../core/config/schema.ts';
import type { FieldError, FormDraft } from '../forms/subscription-form.ts';
import { alertFields } from './alert-fields.ts';
import { escapeHtml } from './escape.ts';
import { renderPage } from './layout.ts';
import { errorSummary, preferenceFields } from './preference-fields.ts';

const EMPTY_DRAFT: FormDraft = { email: '', topics: [], frequency: 'immediate', timezone: 'UTC', alertName: '', alertQuery: '' };

/** The optional personal alert: written now, created when the subscription is confirmed. */
function alertFieldset(config: Config, draft: FormDraft, errors: readonly FieldError[]): string {
  const alertErrors = errors.flatMap((e) =>
    e.field === 'alertName' || e.field === 'alertQuery' ? [{ ...e, field: e.field === 'alertName' ? ('name' as const) : ('query' as const) }] : [],
  );
  return `<fieldset>
<legend>Your own alert (optional)</legend>
<p class="note">Write a query of your own, as well as or instead of the topics above. You can add more, preview them and change them later from the manage link in every email.</p>
${alertFields({
  ids: { name: 'alertName', query: 'alertQuery' },
  names: { name: 'alertName', query: 'alertQuery' },
  labels: { name: 'Alert name', query: 'Alert query' },
  draft: { name: draft.alertName ?? '', query: draft.alertQuery ?? '' },
  errors: alertErrors,
  maxQueryLength: config.alerts.maxQueryLength,
  required: false,
})}
</fieldset>`;
}

/** GET / and a POST /subscribe that failed validation (then with the visitor's values and errors). */
export function subscribePage(config: Config, draft: FormDraft = EMPTY_DRAFT, errors: readonly FieldError[] = []): string {
  const emailInvalid = errors.some((e) => e.field === 'email') ? ' aria-invalid="true"' : '';
  const body = `<h1>Subscribe to news alerts</h1>
<p>Pick the topics you care about, or write your own alert. We email you the matching stories, each story once.</p>
<p><strong>Already subscribed?</strong> <a href="/manage-link">We'll email you your manage link</a> to add, preview and edit your alerts.</p>
${errorSummary(errors)}
<form method="post" action="/subscribe">
<div class="field">
<label for="email">Email address</label>
<input type="email" id="email" name="email" required maxlength="254" autocomplete="email" value="${escapeHtml(draft.email ?? '')}"${emailInvalid}>
</div>
${preferenceFields(config, draft, errors, errors.length > 0)}
${alertFieldset(config, draft, errors)}
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
