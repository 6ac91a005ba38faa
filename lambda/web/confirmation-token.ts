import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { checkAlert } from '../core/alerts/alert-input.ts';
import { frequencies, type Config } from '../core/config/schema.ts';
import { signToken, verifyToken, type TokenPayload } from '../core/tokens/signed-token.ts';
import type { Requested } from './forms/subscription-form.ts';

/** Confirmation links expire after 48 hours (docs/subscriptions.md). */
export const CONFIRM_TTL_SECONDS = 48 * 3600;

// A confirmation link carries the topics, frequency and time zone chosen in the request that sent
// it, and the personal alert written with it if any, under the token's signature: pressing it activates exactly that request, whatever anyone
// asked for the same address later (docs/subscriptions.md, "How a subscription moves").
// signed-token.ts signs the whole payload but hands back only the fields it knows, so the settings
// are read here from the payload whose signature it has just checked.

/** The confirmation token's payload: the core token fields plus the requested settings. */
type ConfirmationPayload = TokenPayload & { settings: Requested };

const settingsSchema = z
  .strictObject({
    topics: z.array(z.string()),
    frequency: z.enum(frequencies),
    timezone: z.string().min(1),
    alert: z.strictObject({ name: z.string(), query: z.string(), frequency: z.enum(frequencies).optional() }).optional(),
  })
  .refine((s) => s.topics.length > 0 || s.alert !== undefined);

/**
 * A signed, single-use (the nonce), 48-hour confirmation token for `settings`; undefined when the
 * token would be too long for verifyToken to accept (a link that could never work is not sent).
 */
export function signConfirmation(sub: string, settings: Requested, now: Date, key: string): string | undefined {
  const exp = Math.floor(now.getTime() / 1000) + CONFIRM_TTL_SECONDS;
  const payload: ConfirmationPayload = { sub, purpose: 'confirm', exp, nonce: randomUUID(), settings };
  const token = signToken(payload, key);
  return verifyToken(token, key, 'confirm', now).ok ? token : undefined;
}

/**
 * The settings inside a confirmation token that readToken has already verified (its signature
 * covers these bytes); undefined for a confirmation token that carries none.
 */
export function confirmationSettings(verifiedToken: string): Requested | undefined {
  const [body = ''] = verifiedToken.split('.');
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = settingsSchema.safeParse((payload as { settings?: unknown } | null)?.settings);
  if (!parsed.success) return undefined;
  const { alert, ...settings } = parsed.data;
  return { ...settings, ...(alert ? { alert: { name: alert.name, query: alert.query, ...(alert.frequency ? { frequency: alert.frequency } : {}) } } : {}) };
}

/**
 * The settings with topics the config no longer offers left out (the operator may remove one
 * meanwhile), and the alert left out if it no longer passes the checks (a lowered query limit).
 */
export function stillOffered(settings: Requested, config: Config): Requested {
  const { alert, ...rest } = settings;
  const checked = alert && checkAlert({ name: alert.name, query: alert.query, frequency: alert.frequency ?? '' }, config.alerts);
  return {
    ...rest,
    topics: settings.topics.filter((id) => config.topics.some((t) => t.id === id)),
    ...(checked?.ok ? { alert: checked.value } : {}),
  };
}
