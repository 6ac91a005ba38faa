import { z } from 'zod';
import { checkAlert, type AlertInput } from '../../core/alerts/alert-input.ts';
import { frequencies, type Config, type Frequency } from '../../core/config/schema.ts';
import { singleField, type FormFields } from './parse-form.ts';
import { isOfferedTimeZone } from './time-zones.ts';

export interface Preferences {
  topics: string[];
  frequency: Frequency;
  timezone: string;
}

/** What a confirmation link activates: the settings and, optionally, one personal alert to create. */
export interface Requested extends Preferences {
  alert?: AlertInput;
}

export interface SubscribeInput extends Requested {
  email: string;
}

/** One problem with one field, shown next to the form. */
export interface FieldError {
  field: 'email' | 'topics' | 'frequency' | 'timezone' | 'alertName' | 'alertQuery';
  message: string;
  /** For a query that does not parse: the 0-based offset of the problem in the query as typed. */
  position?: number;
}

/** What the visitor sent, echoed back (escaped) into the form after a validation error. */
export interface FormDraft {
  email?: string;
  topics: string[];
  frequency: string;
  timezone: string;
  alertName?: string;
  alertQuery?: string;
}

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[]; draft: FormDraft };

function preferencesShape(config: Config, minTopics: 0 | 1) {
  const topicIds = new Set(config.topics.map((t) => t.id));
  return {
    topics: z
      .array(z.string())
      .min(minTopics, 'choose at least one topic')
      .refine((ids) => ids.every((id) => topicIds.has(id)), 'choose topics from the list')
      .transform((ids) => config.topics.map((t) => t.id).filter((id) => ids.includes(id))),
    frequency: z.enum(frequencies, 'choose how often to get email'),
    timezone: z.string().refine(isOfferedTimeZone, 'choose a time zone from the list'),
  };
}

// z.email() already refuses spaces and control characters, so CR/LF can never reach a header.
const emailField = z
  .string()
  .trim()
  .min(1, 'enter your email address')
  .max(254, 'that address is too long')
  .pipe(z.email('enter a valid email address'));

/** One address typed alone (the manage-link form), checked like the subscribe form's. */
export function parseEmail(typed: string): { ok: true; value: string } | { ok: false; message: string } {
  const parsed = emailField.safeParse(typed);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: parsed.error.issues[0]?.message ?? 'enter a valid email address' };
}

function collect(fields: FormFields, withEmail: boolean): FormDraft {
  const raw: FormDraft = {
    topics: fields.get('topics') ?? [],
    frequency: singleField(fields, 'frequency') ?? 'immediate',
    timezone: singleField(fields, 'timezone') ?? 'UTC',
  };
  if (withEmail) {
    raw.email = singleField(fields, 'email') ?? '';
    raw.alertName = singleField(fields, 'alertName') ?? '';
    raw.alertQuery = singleField(fields, 'alertQuery') ?? '';
  }
  return raw;
}

function toResult<T>(parsed: z.ZodSafeParseResult<T>, draft: FormDraft): FormResult<T> {
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: FieldError[] = [];
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0]) as FieldError['field'];
    if (!errors.some((e) => e.field === field)) errors.push({ field, message: issue.message });
  }
  return { ok: false, errors, draft };
}

/**
 * Validates the subscribe form: email, topics, frequency, timezone, and an optional personal alert
 * (name and query, checked like the manage page checks them). At least one topic or the alert is
 * needed. Duplicate scalars throw FormError.
 */
export function parseSubscribeForm(fields: FormFields, config: Config): FormResult<SubscribeInput> {
  const raw = collect(fields, true);
  const wantsAlert = (raw.alertName ?? '').trim() !== '' || (raw.alertQuery ?? '').trim() !== '';
  const schema = z.object({ email: emailField, ...preferencesShape(config, 0) });
  const result = toResult(schema.safeParse(raw), raw);
  const errors = result.ok ? [] : [...result.errors];
  let alert: AlertInput | undefined;
  if (wantsAlert) {
    const checked = checkAlert({ name: raw.alertName ?? '', query: raw.alertQuery ?? '', frequency: '' }, config.alerts);
    if (checked.ok) alert = checked.value;
    else for (const e of checked.errors) errors.push({ ...e, field: e.field === 'name' ? 'alertName' : 'alertQuery' });
  } else if (raw.topics.length === 0 && !errors.some((e) => e.field === 'topics')) {
    errors.push({ field: 'topics', message: 'choose at least one topic, or write your own alert below' });
  }
  if (!result.ok || errors.length > 0) return { ok: false, errors: order(errors), draft: raw };
  return { ok: true, value: { ...result.value, ...(alert ? { alert } : {}) } };
}

const FIELD_ORDER: ReadonlyArray<FieldError['field']> = ['email', 'topics', 'frequency', 'timezone', 'alertName', 'alertQuery'];

/** Errors in the order the fields appear on the page, so the summary reads top to bottom. */
function order(errors: FieldError[]): FieldError[] {
  return [...errors].sort((a, b) => FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field));
}

/**
 * Validates the manage form (topics, frequency, timezone). A subscriber with personal alerts may
 * keep no topic at all.
 */
export function parsePreferencesForm(fields: FormFields, config: Config, hasAlerts = false): FormResult<Preferences> {
  const raw = collect(fields, false);
  const schema = z.object(preferencesShape(config, hasAlerts ? 0 : 1));
  return toResult(schema.safeParse(raw), raw);
}
