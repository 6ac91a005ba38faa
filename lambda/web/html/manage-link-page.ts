import { escapeHtml } from './escape.ts';
import { renderPage } from './layout.ts';
import { summaryOf } from './preference-fields.ts';

/** The form that mails an already subscribed address its manage link (with the error after a bad address). */
export function manageLinkPage(email = '', error?: string): string {
  const invalid = error ? ' aria-invalid="true" aria-describedby="email-error"' : '';
  const fieldError = error ? `\n<p class="field-error" id="email-error"><strong>Error:</strong> ${escapeHtml(error)}</p>` : '';
  return renderPage({
    title: 'Get your manage link',
    body: `<h1>Get your manage link</h1>
<p>Already subscribed? Enter your address and we'll email you the link to your alerts: add, edit, preview, pause or delete them, change your topics, or unsubscribe.</p>
${summaryOf(error ? [{ fieldId: 'email', label: 'Email', message: error }] : [])}
<form method="post" action="/manage-link">
<div class="field">
<label for="email">Email address</label>
<input type="email" id="email" name="email" required maxlength="254" autocomplete="email" value="${escapeHtml(email)}"${invalid}>${fieldError}
</div>
<button type="submit">Email me my manage link</button>
</form>
<p class="note">Not subscribed yet? <a href="/">Subscribe</a>.</p>`,
  });
}

/** The answer to every accepted request: the same bytes whether the address is subscribed or not. */
export function linkSentPage(): string {
  return renderPage({
    title: 'Check your inbox',
    body: `<h1>Check your inbox</h1>
<p>If this address is subscribed, an email with its manage link is on its way. The link keeps working: keep the email to come back to your alerts.</p>
<p class="note">Nothing arrived? Check your spam folder, or <a href="/">subscribe</a> if you never did.</p>`,
  });
}
