import type { AlertDraft } from '../../core/alerts/alert-input.ts';
import { FormError, singleField, type FormFields } from './parse-form.ts';

/** What the manage page's alert forms ask for; the button pressed is the `action` field. */
const ALERT_ACTIONS = ['add', 'save', 'preview', 'pause', 'resume', 'delete'] as const;
type AlertAction = (typeof ALERT_ACTIONS)[number];

export interface AlertRequest {
  action: AlertAction;
  /** The alert the form is about; absent for the add form. */
  alertId?: string;
  draft: AlertDraft;
}

/** The fields of one alert form (each form posts one alert). An unknown action is a malformed form. */
export function parseAlertRequest(fields: FormFields): AlertRequest {
  const action = ALERT_ACTIONS.find((a) => a === singleField(fields, 'action'));
  if (!action) throw new FormError('malformed', 'the form names no known action');
  const alertId = singleField(fields, 'alert');
  const draft: AlertDraft = {
    name: singleField(fields, 'name') ?? '',
    query: singleField(fields, 'query') ?? '',
    frequency: singleField(fields, 'frequency') ?? '',
  };
  return { action, ...(alertId === undefined ? {} : { alertId }), draft };
}
