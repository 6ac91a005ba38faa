import type { Subscriber } from '../../core/domain/subscriber.ts';
import { signToken } from '../../core/tokens/signed-token.ts';
import { parseForm, singleField } from '../forms/parse-form.ts';
import { parsePreferencesForm } from '../forms/subscription-form.ts';
import { managePage } from '../html/manage-page.ts';
import { messagePage } from '../html/message-page.ts';
import type { WebRequest, WebResponse } from '../http-types.ts';
import { loadSubscriber } from '../load-subscriber.ts';
import { readToken } from '../read-token.ts';
import { allowSave } from '../rate-limit.ts';
import { htmlResponse } from '../responses.ts';
import type { WebDeps } from '../web-deps.ts';
import { saveSubscriber } from '../../app/subscriber-changes.ts';

export const notSubscribed = (): WebResponse =>
  htmlResponse(
    410,
    messagePage('No active subscription', ['This address is not subscribed any more, so there is nothing to change. You can subscribe again.'], {
      linkHome: true,
    }),
  );

export const manageable = (s: Subscriber | undefined): s is Subscriber => s !== undefined && (s.status === 'active' || s.status === 'pending');

/** GET /manage: the current settings in a form (reading only). */
export async function getManage(req: WebRequest, deps: WebDeps): Promise<WebResponse> {
  const check = readToken(req.query.get('token') ?? undefined, 'manage', deps);
  if (!check.ok) return check.response;
  const { subscriber } = await loadSubscriber(deps, check.payload.sub);
  if (!manageable(subscriber)) return notSubscribed();
  return htmlResponse(200, managePage({ config: deps.config, subscriber, token: check.token, unsubscribeToken: unsubscribeToken(subscriber, deps) }));
}

/** POST /manage: the signed token in the form authorises the change (and is its CSRF guard). */
export async function postManage(req: WebRequest, deps: WebDeps): Promise<WebResponse> {
  const fields = parseForm(req.body, req.headers['content-type']);
  const check = readToken(singleField(fields, 'token'), 'manage', deps);
  if (!check.ok) return check.response;
  const { subscriber } = await loadSubscriber(deps, check.payload.sub);
  if (!manageable(subscriber)) return notSubscribed();
  const page = { config: deps.config, subscriber, token: check.token, unsubscribeToken: unsubscribeToken(subscriber, deps) };
  // The config file owns a config subscriber's settings: the cycle would never read a change here.
  if (subscriber.source === 'config') return htmlResponse(409, managePage(page));

  const form = parsePreferencesForm(fields, deps.config, (subscriber.alerts ?? []).length > 0);
  if (!form.ok) return htmlResponse(400, managePage({ ...page, draft: form.draft, errors: form.errors }));
  const now = deps.clock.now();
  if (!(await allowSave(deps.store, { subscriberId: subscriber.id, sourceIp: req.sourceIp, now }, deps.limits))) {
    return htmlResponse(429, managePage({ ...page, draft: { ...form.value }, errors: [{ field: 'topics', message: 'too many changes in the last hour; nothing was saved, please try again later' }] }));
  }
  const updated: Subscriber = { ...subscriber, ...form.value, updatedAt: now.toISOString() };
  await saveSubscriber(deps.store, updated);
  return htmlResponse(200, managePage({ ...page, subscriber: updated, notice: 'Saved. The next digest follows these settings.' }));
}

export function unsubscribeToken(subscriber: Subscriber, deps: WebDeps): string {
  return signToken({ sub: subscriber.id, purpose: 'unsubscribe' }, deps.tokenKey);
}
