import { randomBytes } from 'node:crypto';
import { addAlert } from '../../core/alerts/alert-changes.ts';
import { newAlertId } from '../../core/alerts/alert-id.ts';
import type { Alert } from '../../core/domain/alert.ts';
import type { Subscriber } from '../../core/domain/subscriber.ts';
import { CONFIRM_TTL_SECONDS, confirmationSettings, stillOffered } from '../confirmation-token.ts';
import { parseForm, singleField } from '../forms/parse-form.ts';
import type { Requested } from '../forms/subscription-form.ts';
import { messagePage } from '../html/message-page.ts';
import { confirmPage } from '../html/token-pages.ts';
import type { WebRequest, WebResponse } from '../http-types.ts';
import { loadSubscriber } from '../load-subscriber.ts';
import { invalidLink, readToken, usedLink, type TokenCheck } from '../read-token.ts';
import { htmlResponse } from '../responses.ts';
import type { WebDeps } from '../web-deps.ts';
import { saveSubscriber } from '../../app/subscriber-changes.ts';

const cannotConfirm = (reason: string): WebResponse =>
  htmlResponse(410, messagePage('This subscription cannot be confirmed', [reason, 'Subscribe again to get a new link.'], { linkHome: true }));

const NOT_WAITING = 'The address is no longer waiting for confirmation.';

type Confirmable =
  | { ok: true; subscriber: Subscriber; activates: Requested; nonce: string; exp: number | undefined }
  | { ok: false; response: WebResponse };

/**
 * What pressing this link activates. An API subscriber gets the settings its own link carries
 * (chosen in the request that sent it, so a later request by anyone else changes nothing here),
 * including the personal alert written with it; a config-file address gets the file's settings,
 * which the file owns, and the alert, which is its own.
 */
async function confirmable(check: TokenCheck, deps: WebDeps): Promise<Confirmable> {
  if (!check.ok) return check;
  const { sub, nonce, exp } = check.payload;
  const requested = confirmationSettings(check.token);
  // A confirm token without a nonce was not made by /subscribe: refuse rather than allow replays.
  if (!nonce) return { ok: false, response: invalidLink() };
  // Signed, but naming no settings (a link mailed before links carried them): never guess them.
  if (!requested) return { ok: false, response: cannotConfirm('This link does not say which topics to start.') };
  const { subscriber, suppressed } = await loadSubscriber(deps, sub);
  // A suppression is never lifted here: a bounced confirmation must not be confirmable.
  if (!subscriber || suppressed) return { ok: false, response: cannotConfirm(NOT_WAITING) };
  const offered = stillOffered(requested, deps.config);
  if (subscriber.source === 'config') {
    const { topics, frequency, timezone } = subscriber;
    return { ok: true, subscriber, activates: { topics, frequency, timezone, ...(offered.alert ? { alert: offered.alert } : {}) }, nonce, exp };
  }
  const activates = offered;
  if (activates.topics.length === 0 && !activates.alert && subscriber.status !== 'active') {
    return { ok: false, response: cannotConfirm('None of the topics this link asked for is offered any more.') };
  }
  return { ok: true, subscriber, activates, nonce, exp };
}

/** GET /confirm: only shows the button and what it activates (mail scanners follow links; a GET changes nothing). */
export async function getConfirm(req: WebRequest, deps: WebDeps): Promise<WebResponse> {
  const check = readToken(req.query.get('token') ?? undefined, 'confirm', deps);
  const found = await confirmable(check, deps);
  if (!found.ok) return found.response;
  if (found.subscriber.status === 'active') return subscribedPage();
  return htmlResponse(200, confirmPage(check.ok ? check.token : '', found.subscriber.email, deps.config, found.activates));
}

/** POST /confirm: the signed token in the form is the proof; its nonce makes it single-use. */
export async function postConfirm(req: WebRequest, deps: WebDeps): Promise<WebResponse> {
  const fields = parseForm(req.body, req.headers['content-type']);
  const found = await confirmable(readToken(singleField(fields, 'token'), 'confirm', deps), deps);
  if (!found.ok) return found.response;
  const { subscriber, activates, nonce, exp } = found;
  const nowSeconds = Math.floor(deps.clock.now().getTime() / 1000);
  if (!(await deps.store.consumeNonce(`confirm#${nonce}`, exp ?? nowSeconds + CONFIRM_TTL_SECONDS))) return usedLink();
  // An active subscription stays as it is: changing it is the manage page's job.
  if (subscriber.status !== 'active') {
    const { topics, frequency, timezone, alert } = activates;
    const now = deps.clock.now();
    const alerts = withAlert(subscriber.alerts ?? [], alert, now, deps);
    await saveSubscriber(deps.store, { ...subscriber, topics, frequency, timezone, ...(alerts.length > 0 ? { alerts } : {}), status: 'active', updatedAt: now.toISOString() });
  }
  return subscribedPage();
}

/** The alert the link carries added to the profile's own (unless the profile is already full). */
function withAlert(alerts: Alert[], alert: Requested['alert'], now: Date, deps: WebDeps): Alert[] {
  if (!alert) return alerts;
  const id = newAlertId(randomBytes, new Set(alerts.map((a) => a.id)));
  return addAlert(alerts, alert, id, now, deps.config.alerts.maxPerSubscriber) ?? alerts;
}

function subscribedPage(): WebResponse {
  return htmlResponse(
    200,
    messagePage('You are subscribed', [
      'Your subscription is confirmed. Alerts arrive as stories match your topics and your own alerts.',
      'Every alert has links to change your settings or unsubscribe.',
    ]),
  );
}
