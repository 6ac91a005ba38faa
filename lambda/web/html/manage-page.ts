import type { AlertPreview } from '../../app/preview-alert.ts';
import type { AlertDraft, AlertFieldError } from '../../core/alerts/alert-input.ts';
import type { Config } from '../../core/config/schema.ts';
import type { Alert } from '../../core/domain/alert.ts';
import type { Subscriber } from '../../core/domain/subscriber.ts';
import type { FieldError, FormDraft } from '../forms/subscription-form.ts';
import { alertFields } from './alert-fields.ts';
import { escapeHtml } from './escape.ts';
import { renderPage } from './layout.ts';
import { errorSummary, preferenceFields, summaryOf, type SummaryItem } from './preference-fields.ts';
import { previewResults } from './preview-results.ts';
import { settingsSummary } from './settings-summary.ts';

/** The add form's target. */
export const NEW_ALERT = 'new';

/** One alert form as the visitor sent it (values kept), with what is wrong with it. */
interface AlertFormState {
  /** NEW_ALERT for the add form, else the alert's id. */
  target: string;
  draft: AlertDraft;
  errors: readonly AlertFieldError[];
}

export interface ManagePageInput {
  config: Config;
  subscriber: Subscriber;
  /** The manage token, posted back with every form. */
  token: string;
  /** An unsubscribe token for the button at the bottom. */
  unsubscribeToken: string;
  /** The settings form as sent, after an error. */
  draft?: FormDraft;
  errors?: readonly FieldError[];
  /** A status line after a change ("Saved.", "Deleted …"). */
  notice?: string;
  /** An alert form as sent, after an error or a preview. */
  alertForm?: AlertFormState;
  /** A problem with the request as a whole (too many alerts, too many changes this hour). */
  problem?: { target: string; message: string };
  preview?: { target: string; result: AlertPreview };
}

const prefix = (target: string): string => (target === NEW_ALERT ? 'new-alert' : `alert-${target}`);
const hidden = (name: string, value: string): string => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
const FIELD_LABELS = { name: 'Name', query: 'Query', frequency: 'How often' } as const;

function draftOf(alert: Alert): AlertDraft {
  return { name: alert.name, query: alert.query, frequency: alert.frequency ?? '' };
}

/** One alert's form: the fields, then Save, Preview, Pause or Resume, Delete. */
function alertForm(input: ManagePageInput, alert: Alert | undefined): string {
  const target = alert?.id ?? NEW_ALERT;
  const p = prefix(target);
  const sent = input.alertForm?.target === target ? input.alertForm : undefined;
  const draft = sent?.draft ?? (alert ? draftOf(alert) : { name: '', query: '', frequency: '' });
  const fields = alertFields({
    ids: { name: `${p}-name`, query: `${p}-query`, frequency: `${p}-frequency` },
    names: { name: 'name', query: 'query', frequency: 'frequency' },
    draft,
    errors: sent?.errors ?? [],
    maxQueryLength: input.config.alerts.maxQueryLength,
    subscriberFrequency: input.subscriber.frequency,
    required: true,
  });
  // Buttons on a page of several alerts name their alert for screen readers (the visible word is first).
  const named = (word: string) => (alert ? `${word}<span class="vh"> ${escapeHtml(alert.name)}</span>` : word);
  const buttons = alert
    ? [
        `<button type="submit" name="action" value="save">${named('Save')}</button>`,
        `<button type="submit" name="action" value="preview" class="secondary" formaction="/manage/alerts#preview" formnovalidate>${named('Preview')}</button>`,
        `<button type="submit" name="action" value="${alert.paused ? 'resume' : 'pause'}" class="secondary" formnovalidate>${named(alert.paused ? 'Resume' : 'Pause')}</button>`,
        `<button type="submit" name="action" value="delete" class="danger" formnovalidate>${named('Delete')}</button>`,
      ]
    : [
        '<button type="submit" name="action" value="add">Add alert</button>',
        // A query can be previewed before it has a name: the browser's required-field check is skipped.
        '<button type="submit" name="action" value="preview" class="secondary" formaction="/manage/alerts#preview" formnovalidate>Preview</button>',
      ];
  const problem = input.problem?.target === target ? `<p class="field-error" id="${p}-problem" role="alert"><strong>Error:</strong> ${escapeHtml(input.problem.message)}</p>\n` : '';
  const preview = input.preview?.target === target ? `\n${previewResults(input.preview.result, input.subscriber.timezone)}` : '';
  return `<form method="post" action="/manage/alerts">
${hidden('token', input.token)}${alert ? `\n${hidden('alert', alert.id)}` : ''}
${fields}
${problem}<div>${buttons.join('\n')}</div>
</form>${preview}`;
}

function alertCard(input: ManagePageInput, alert: Alert): string {
  const p = prefix(alert.id);
  const paused = alert.paused ? '<span class="tag">Paused</span>' : '';
  return `<section class="card" aria-labelledby="${p}-heading">
<h3 id="${p}-heading">${escapeHtml(alert.name)}${paused}</h3>
${alertForm(input, alert)}
</section>`;
}

function alertsPart(input: ManagePageInput): string {
  const alerts = input.subscriber.alerts ?? [];
  const max = input.config.alerts.maxPerSubscriber;
  const intro = `<p class="note">Your own queries, mailed under their names with the stories they match. ${alerts.length} of ${max} used. Preview shows what a query would have caught in the last 7 days, without saving it.</p>`;
  const add =
    alerts.length < max
      ? `<section class="card" aria-labelledby="new-alert-heading">
<h3 id="new-alert-heading">Add an alert</h3>
${alertForm(input, undefined)}
</section>`
      : `<p class="note" id="new-alert-problem">You have ${max} alerts, the most one subscriber may keep. Delete one to add another.</p>`;
  return `<h2 id="alerts">Your personal alerts</h2>
${intro}
${alerts.map((a) => alertCard(input, a)).join('\n')}
${add}`;
}

/** Summary entries of the alert form that failed, linking to its fields. */
function alertSummary(input: ManagePageInput): SummaryItem[] {
  const items: SummaryItem[] = [];
  if (input.alertForm) {
    const p = prefix(input.alertForm.target);
    for (const e of input.alertForm.errors) items.push({ fieldId: `${p}-${e.field}`, label: FIELD_LABELS[e.field], message: e.message });
  }
  if (input.problem) items.push({ fieldId: `${prefix(input.problem.target)}-problem`, label: 'Alert', message: input.problem.message });
  return items;
}

/** GET/POST /manage and POST /manage/alerts: the subscriber's alerts, topics, frequency and time zone. */
export function managePage(input: ManagePageInput): string {
  const { config, subscriber } = input;
  const errors = input.errors ?? [];
  const draft: FormDraft = input.draft ?? {
    topics: subscriber.topics,
    frequency: subscriber.frequency,
    timezone: subscriber.timezone,
  };
  const notice = input.notice ? `<p class="note" role="status"><strong>${escapeHtml(input.notice)}</strong></p>` : '';
  const editable = subscriber.source !== 'config';
  const form = editable
    ? `<form method="post" action="/manage">
<input type="hidden" name="token" value="${escapeHtml(input.token)}">
${preferenceFields(config, draft, errors, true)}
<button type="submit">Save changes</button>
</form>`
    : `<p class="note">Your topics and schedule come from the operator's configuration file, which decides them. Ask the operator to change them, or unsubscribe below. Your personal alerts above are yours to change.</p>
${settingsSummary(config, subscriber)}`;
  const summary = errors.length > 0 ? errorSummary(errors) : summaryOf(alertSummary(input));
  const body = `<h1>Your alert settings</h1>
<p>For <strong>${escapeHtml(subscriber.email)}</strong>.</p>
${notice}${summary}
${alertsPart(input)}
<h2 id="settings">Topics and schedule</h2>
${form}
<h2>Stop all alerts</h2>
<form method="post" action="/unsubscribe">
<input type="hidden" name="token" value="${escapeHtml(input.unsubscribeToken)}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit" class="secondary">Unsubscribe</button>
</form>`;
  return renderPage({ title: 'Your alert settings', body });
}
