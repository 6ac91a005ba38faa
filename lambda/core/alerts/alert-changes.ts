import type { Alert } from '../domain/alert.ts';
import type { AlertInput } from './alert-input.ts';

// The edits a subscriber makes to their own alert list, as pure functions over the list held in
// their profile. An id that is not in the list yields undefined: the caller answers as if the
// alert did not exist, whoever it belongs to (docs/subscriptions.md, "Personal alerts").

function fields(input: AlertInput): Pick<Alert, 'name' | 'query' | 'frequency'> {
  return { name: input.name, query: input.query, ...(input.frequency ? { frequency: input.frequency } : {}) };
}

/** The list with a new active alert at the end; undefined when the list is already at `max`. */
export function addAlert(alerts: readonly Alert[], input: AlertInput, id: string, now: Date, max: number): Alert[] | undefined {
  if (alerts.length >= max) return undefined;
  const at = now.toISOString();
  return [...alerts, { id, ...fields(input), paused: false, createdAt: at, updatedAt: at }];
}

/** Name, query and frequency replaced (the paused state is kept). */
export function updateAlert(alerts: readonly Alert[], id: string, input: AlertInput, now: Date): Alert[] | undefined {
  return change(alerts, id, (alert) => {
    const { frequency: _old, ...rest } = alert;
    return { ...rest, ...fields(input), updatedAt: now.toISOString() };
  });
}

export function setAlertPaused(alerts: readonly Alert[], id: string, paused: boolean, now: Date): Alert[] | undefined {
  return change(alerts, id, (alert) => ({ ...alert, paused, updatedAt: now.toISOString() }));
}

export function removeAlert(alerts: readonly Alert[], id: string): Alert[] | undefined {
  return alerts.some((a) => a.id === id) ? alerts.filter((a) => a.id !== id) : undefined;
}

function change(alerts: readonly Alert[], id: string, edit: (alert: Alert) => Alert): Alert[] | undefined {
  if (!alerts.some((a) => a.id === id)) return undefined;
  return alerts.map((a) => (a.id === id ? edit(a) : a));
}
