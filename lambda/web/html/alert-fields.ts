import type { AlertFieldError } from '../../core/alerts/alert-input.ts';
import { neutraliseControls } from '../../core/digest/safe-text.ts';
import { escapeHtml } from './escape.ts';
import { FREQUENCY_LABELS } from './preference-fields.ts';

// The name, query and frequency fields of one personal alert, shared by the manage page (one form
// per alert) and the subscribe page. Every field has a label; an error is written next to its field
// and tied to it with aria-describedby, and the field says aria-invalid.

export interface AlertFieldsInput {
  /** Element ids of the fields (unique on the page); error and help ids derive from them. */
  ids: { name: string; query: string; frequency?: string };
  /** Form field names. */
  names: { name: string; query: string; frequency?: string };
  /** Labels of the name and query fields. */
  labels?: { name: string; query: string };
  draft: { name: string; query: string; frequency?: string };
  errors: readonly AlertFieldError[];
  maxQueryLength: number;
  /** The subscriber's own frequency, offered as the default choice (manage page only). */
  subscriberFrequency?: string;
  /** The fields must be filled in (the subscribe page's alert is optional). */
  required: boolean;
}

const describedBy = (ids: ReadonlyArray<string | undefined>): string => {
  const present = ids.filter((id): id is string => id !== undefined);
  return present.length > 0 ? ` aria-describedby="${escapeHtml(present.join(' '))}"` : '';
};

function errorFor(errors: readonly AlertFieldError[], field: AlertFieldError['field']): AlertFieldError | undefined {
  return errors.find((e) => e.field === field);
}

/** The error next to a field; for a query that does not parse, the query with the place marked. */
function fieldError(id: string, error: AlertFieldError, typed: string): string {
  const where =
    error.position === undefined
      ? ''
      : (() => {
          // Length-preserving, so the position still points at the same character.
          const text = neutraliseControls(typed);
          const at = Math.min(Math.max(0, error.position), text.length);
          const marked = at < text.length ? escapeHtml(text.slice(at, at + 1)) : '&nbsp;';
          return `<br><code aria-hidden="true">${escapeHtml(text.slice(0, at))}<mark>${marked}</mark>${escapeHtml(text.slice(at + 1))}</code>`;
        })();
  return `<p class="field-error" id="${escapeHtml(id)}"><strong>Error:</strong> ${escapeHtml(error.message)}${where}</p>`;
}

export function alertFields(input: AlertFieldsInput): string {
  const { ids, names, draft, errors } = input;
  const labels = input.labels ?? { name: 'Name', query: 'Query' };
  const required = input.required ? ' required' : '';
  const nameError = errorFor(errors, 'name');
  const queryError = errorFor(errors, 'query');
  const nameErrorId = nameError ? `${ids.name}-error` : undefined;
  const queryErrorId = queryError ? `${ids.query}-error` : undefined;
  const helpId = `${ids.query}-help`;
  const invalid = (error: AlertFieldError | undefined) => (error ? ' aria-invalid="true"' : '');

  const name = `<div class="field">
<label for="${escapeHtml(ids.name)}">${escapeHtml(labels.name)}</label>
<input type="text" id="${escapeHtml(ids.name)}" name="${escapeHtml(names.name)}" value="${escapeHtml(draft.name)}" maxlength="100" autocomplete="off"${required}${invalid(nameError)}${describedBy([nameErrorId])}>
${nameError && nameErrorId ? fieldError(nameErrorId, nameError, draft.name) : ''}</div>`;

  const query = `<div class="field">
<label for="${escapeHtml(ids.query)}">${escapeHtml(labels.query)}</label>
<input type="text" id="${escapeHtml(ids.query)}" name="${escapeHtml(names.query)}" value="${escapeHtml(draft.query)}" autocomplete="off" autocapitalize="off" spellcheck="false"${required}${invalid(queryError)}${describedBy([queryErrorId, helpId])}>
${queryError && queryErrorId ? fieldError(queryErrorId, queryError, draft.query) : ''}<p class="note" id="${escapeHtml(helpId)}">Words, "exact phrases", prefix*, =CaseSensitive, AND, OR, NOT or -word, and (parentheses). At most ${input.maxQueryLength} characters.</p>
</div>`;

  let frequency = '';
  if (ids.frequency && names.frequency) {
    const frequencyError = errorFor(errors, 'frequency');
    const errorId = frequencyError ? `${ids.frequency}-error` : undefined;
    const usual = FREQUENCY_LABELS.find(([value]) => value === input.subscriberFrequency)?.[1];
    const options = [['', `My usual frequency${usual ? ` (${usual.toLowerCase()})` : ''}`] as const, ...FREQUENCY_LABELS]
      .map(([value, label]) => `<option value="${value}"${draft.frequency === value ? ' selected' : ''}>${escapeHtml(label)}</option>`)
      .join('');
    frequency = `<div class="field">
<label for="${escapeHtml(ids.frequency)}">How often</label>
<select id="${escapeHtml(ids.frequency)}" name="${escapeHtml(names.frequency)}"${invalid(frequencyError)}${describedBy([errorId])}>${options}</select>
${frequencyError && errorId ? fieldError(errorId, frequencyError, draft.frequency ?? '') : ''}</div>`;
  }
  return `${name}\n${query}\n${frequency}`;
}
