import type { Config } from '../../core/config/schema.ts';
import type { Subscriber } from '../../core/domain/subscriber.ts';
import type { FieldError, FormDraft } from '../forms/subscription-form.ts';
import { escapeHtml } from './escape.ts';
import { renderPage } from './layout.ts';
import { errorSummary, preferenceFields } from './preference-fields.ts';
import { settingsSummary } from './settings-summary.ts';

export interface ManagePageInput {
  config: Config;
  subscriber: Subscriber;
  /** The manage token, posted back with the form. */
  token: string;
  /** An unsubscribe token for the button at the bottom. */
  unsubscribeToken: string;
  draft?: FormDraft;
  errors?: readonly FieldError[];
  saved?: boolean;
}

/** GET/POST /manage: the subscriber's topics, frequency and time zone in an editable form. */
export function managePage(input: ManagePageInput): string {
  const { config, subscriber } = input;
  const errors = input.errors ?? [];
  const draft: FormDraft = input.draft ?? {
    topics: subscriber.topics,
    frequency: subscriber.frequency,
    timezone: subscriber.timezone,
  };
  const saved = input.saved ? '<p class="note" role="status"><strong>Saved.</strong> The next digest follows these settings.</p>' : '';
  const editable = subscriber.source !== 'config';
  const form = editable
    ? `<form method="post" action="/manage">
<input type="hidden" name="token" value="${escapeHtml(input.token)}">
${preferenceFields(config, draft, errors, true)}
<button type="submit">Save changes</button>
</form>`
    : `<p class="note">These settings come from the operator's configuration file, which decides your topics and schedule. Ask the operator to change them, or unsubscribe below.</p>
${settingsSummary(config, subscriber)}`;
  const body = `<h1>Your alert settings</h1>
<p>For <strong>${escapeHtml(subscriber.email)}</strong>.</p>
${saved}${errorSummary(errors)}
${form}
<h2>Stop all alerts</h2>
<form method="post" action="/unsubscribe">
<input type="hidden" name="token" value="${escapeHtml(input.unsubscribeToken)}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit" class="secondary">Unsubscribe</button>
</form>`;
  return renderPage({ title: 'Your alert settings', body });
}
