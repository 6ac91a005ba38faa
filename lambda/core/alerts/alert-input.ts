import { frequencies, type Frequency } from '../config/schema.ts';
import { neutraliseControls } from '../digest/safe-text.ts';
import { parseQuery } from '../query/parse-query.ts';
import { QueryError } from '../query/query-error.ts';

// What a subscriber may save as a personal alert (README, "Personal alerts"; docs/subscriptions.md).
// Pure: the pages, the subscribe form and the operator commands all check alerts the same way.

/** Longest alert name, in characters (code points). */
const MAX_ALERT_NAME = 100;

export interface AlertLimits {
  /** alerts.maxPerSubscriber */
  maxPerSubscriber: number;
  /** alerts.maxQueryLength */
  maxQueryLength: number;
}

/** The alert's fields exactly as typed: echoed back (escaped) into the form after an error. */
export interface AlertDraft {
  name: string;
  query: string;
  /** `immediate`, `hourly`, `daily`, or `` for the subscriber's own frequency. */
  frequency: string;
}

/** A checked alert: name and query trimmed; no frequency means the subscriber's. */
export interface AlertInput {
  name: string;
  query: string;
  frequency?: Frequency;
}

type AlertField = 'name' | 'query' | 'frequency';

export interface AlertFieldError {
  field: AlertField;
  message: string;
  /** For a query that does not parse: the 0-based offset in the query as typed. */
  position?: number;
}

export type AlertCheck = { ok: true; value: AlertInput } | { ok: false; errors: AlertFieldError[] };

/** Index of the first control or bidi character (they could disguise what a name or query shows), or -1. */
function controlAt(text: string): number {
  const cleaned = neutraliseControls(text);
  if (cleaned === text) return -1;
  for (let i = 0; i < text.length; i++) if (cleaned[i] !== text[i]) return i;
  return -1;
}

/**
 * Why `query` cannot be saved, or undefined when it can. The message of a query that does not
 * parse is `the query does not parse: at <position>: <reason>`, what `newshound match` prints; parseQuery already
 * refuses a query that would match items holding none of its terms.
 */
export function queryProblem(query: string, maxQueryLength: number): AlertFieldError | undefined {
  const control = controlAt(query);
  if (control >= 0) return { field: 'query', position: control, message: `the query holds a control character at ${control}` };
  const length = query.trim().length;
  if (length > maxQueryLength) {
    return { field: 'query', message: `the query is ${length} characters long; at most ${maxQueryLength} are allowed` };
  }
  try {
    parseQuery(query);
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    return { field: 'query', position: err.position, message: `the query does not parse: at ${err.position}: ${err.reason}` };
  }
  return undefined;
}

function nameProblem(name: string): AlertFieldError | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return { field: 'name', message: 'give the alert a name' };
  if ([...trimmed].length > MAX_ALERT_NAME) return { field: 'name', message: `the name is too long: at most ${MAX_ALERT_NAME} characters` };
  if (controlAt(trimmed) >= 0) return { field: 'name', message: 'the name holds a control character' };
  return undefined;
}

/** Checks one alert as typed (name, query, frequency); every failing field gets its own message. */
export function checkAlert(draft: AlertDraft, limits: Pick<AlertLimits, 'maxQueryLength'>): AlertCheck {
  const errors: AlertFieldError[] = [];
  const name = nameProblem(draft.name);
  if (name) errors.push(name);
  const query = queryProblem(draft.query, limits.maxQueryLength);
  if (query) errors.push(query);
  const frequency = draft.frequency === '' ? undefined : frequencies.find((f) => f === draft.frequency);
  if (draft.frequency !== '' && frequency === undefined) errors.push({ field: 'frequency', message: 'choose how often from the list' });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { name: draft.name.trim(), query: draft.query.trim(), ...(frequency ? { frequency } : {}) } };
}
