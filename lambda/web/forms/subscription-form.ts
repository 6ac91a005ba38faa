import { z } from 'zod';
import { frequencies, type Config, type Frequency } from '../../core/config/schema.ts';
import { singleField, type FormFields } from './parse-form.ts';
import { isOfferedTimeZone } from './time-zones.ts';

export interface Preferences {
  topics: string[];
  frequency: Frequency;
  timezone: string;
}

export interface SubscribeInput extends Preferences {
  email: string;
}

/** One problem with one field, shown next to the form. */
export interface FieldError {
  field: 'email' | 'topics' | 'frequency' | 'timezone';
  message: string;
}

/** What the visitor sent, echoed back (escaped) into the form after a validation error. */
export interface FormDraft {
  email?: string;
  topics: string[];
  frequency: string;
  timezone: string;
}

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[]; draft: FormDraft };

function preferencesShape(config: Config) {
  const topicIds = new Set(config.topics.map((t) => t.id));
  return {
    topics: z
      .array(z.string())
      .min(1, 'choose at least one topic')
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

function collect(fields: FormFields, withEmail: boolean): FormDraft {
  const raw: FormDraft = {
    topics: fields.get('topics') ?? [],
    frequency: singleField(fields, 'frequency') ?? 'immediate',
    timezone: singleField(fields, 'timezone') ?? 'UTC',
  };
  if (withEmail) raw.email = singleField(fields, 'email') ?? '';
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

/** Validates the subscribe form (email, topics, frequency, timezone). Duplicate scalars throw FormError. */
export function parseSubscribeForm(fields: FormFields, config: Config): FormResult<SubscribeInput> {
  const raw = collect(fields, true);
  const schema = z.object({ email: emailField, ...preferencesShape(config) });
  return toResult(schema.safeParse(raw), raw);
}

/** Validates the manage form (topics, frequency, timezone). */
export function parsePreferencesForm(fields: FormFields, config: Config): FormResult<Preferences> {
  const raw = collect(fields, false);
  const schema = z.object(preferencesShape(config));
  return toResult(schema.safeParse(raw), raw);
}
