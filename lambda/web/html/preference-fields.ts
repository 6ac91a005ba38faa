import type { Config } from '../../core/config/schema.ts';
import type { FieldError, FormDraft } from '../forms/subscription-form.ts';
import { TIME_ZONES } from '../forms/time-zones.ts';
import { escapeHtml } from './escape.ts';

export const FREQUENCY_LABELS: ReadonlyArray<readonly [string, string]> = [
  ['immediate', 'As soon as a story matches'],
  ['hourly', 'At most once an hour'],
  ['daily', 'Once a day'],
];

/** One entry of an error summary: the field's id on the page, its label and what is wrong. */
export interface SummaryItem {
  fieldId: string;
  label: string;
  message: string;
}

/**
 * The error summary above a form; empty without errors. Focused when the page loads (autofocus on a
 * tabindex=-1 element), so keyboard and screen-reader users land on it; each entry links to its field.
 */
export function summaryOf(items: readonly SummaryItem[]): string {
  if (items.length === 0) return '';
  const list = items.map((e) => `<li><a href="#${escapeHtml(e.fieldId)}">${escapeHtml(e.label)}: ${escapeHtml(e.message)}</a></li>`);
  return `<div class="error" role="alert" id="error-summary" tabindex="-1" autofocus><p><strong>Please check the form.</strong></p><ul>${list.join('')}</ul></div>`;
}

/** The summary of the subscribe and settings forms, whose field ids are the field names. */
export function errorSummary(errors: readonly FieldError[]): string {
  return summaryOf(errors.map((e) => ({ fieldId: e.field, label: fieldLabel(e.field), message: e.message })));
}

function fieldLabel(field: FieldError['field']): string {
  return { email: 'Email', topics: 'Topics', frequency: 'Frequency', timezone: 'Time zone', alertName: 'Alert name', alertQuery: 'Alert query' }[field];
}

const invalid = (errors: readonly FieldError[], field: FieldError['field']): string =>
  errors.some((e) => e.field === field) ? ' aria-invalid="true"' : '';

/**
 * Topics (names from the config), frequency and time zone, prefilled from `draft`. Every value
 * that came from the visitor or the config is escaped; an unknown echoed value simply matches no
 * option.
 */
export function preferenceFields(config: Config, draft: FormDraft, errors: readonly FieldError[], zoneChosen: boolean): string {
  const topics = config.topics
    .map((topic, i) => {
      const checked = draft.topics.includes(topic.id) ? ' checked' : '';
      const id = i === 0 ? ' id="topics"' : '';
      return `<label class="choice"><input type="checkbox" name="topics" value="${escapeHtml(topic.id)}"${id}${checked}> ${escapeHtml(topic.name)}</label>`;
    })
    .join('\n');
  const frequency = FREQUENCY_LABELS.map(([value, label], i) => {
    const checked = draft.frequency === value ? ' checked' : '';
    const id = i === 0 ? ' id="frequency"' : '';
    return `<label class="choice"><input type="radio" name="frequency" value="${value}"${id}${checked}> ${label}</label>`;
  }).join('\n');
  const zones = TIME_ZONES.map((zone) => {
    const selected = zone === draft.timezone ? ' selected' : '';
    return `<option${selected}>${escapeHtml(zone)}</option>`;
  }).join('');
  const dailyAt = escapeHtml(config.mail.dailyAt);
  return `<fieldset${invalid(errors, 'topics')}>
<legend>Topics</legend>
${topics}
</fieldset>
<fieldset${invalid(errors, 'frequency')}>
<legend>How often</legend>
${frequency}
<p class="note">A daily digest arrives at ${dailyAt} in your time zone.</p>
</fieldset>
<div class="field">
<label for="timezone">Time zone</label>
<select id="timezone" name="timezone"${zoneChosen ? ' data-chosen="1"' : ''}${invalid(errors, 'timezone')}>${zones}</select>
</div>`;
}
