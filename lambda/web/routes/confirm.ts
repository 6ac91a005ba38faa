import { parseForm, singleField } from '../forms/parse-form.ts';
import { messagePage } from '../html/message-page.ts';
import { confirmPage } from '../html/token-pages.ts';
import type { WebRequest, WebResponse } from '../http-types.ts';
import { loadSubscriber } from '../load-subscriber.ts';
import { invalidLink, readToken, usedLink } from '../read-token.ts';
import { htmlResponse } from '../responses.ts';
import { CONFIRM_TTL_SECONDS } from './subscribe.ts';
import type { WebDeps } from '../web-deps.ts';

const cannotConfirm = (): WebResponse =>
  htmlResponse(
    410,
    messagePage('This subscription cannot be confirmed', ['The address is no longer waiting for confirmation. Subscribe again to get a new link.'], {
      linkHome: true,
    }),
  );

/** GET /confirm: only shows the button (mail scanners follow links; a GET changes nothing). */
export async function getConfirm(req: WebRequest, deps: WebDeps): Promise<WebResponse> {
  const check = readToken(req.query.get('token') ?? undefined, 'confirm', deps);
  if (!check.ok) return check.response;
  const { subscriber, suppressed } = await loadSubscriber(deps, check.payload.sub);
  if (!subscriber || suppressed) return cannotConfirm();
  if (subscriber.status === 'active') return subscribedPage();
  return htmlResponse(200, confirmPage(check.token, subscriber.email));
}

/** POST /confirm: the signed token in the form is the proof; its nonce makes it single-use. */
export async function postConfirm(req: WebRequest, deps: WebDeps): Promise<WebResponse> {
  const fields = parseForm(req.body, req.headers['content-type']);
  const check = readToken(singleField(fields, 'token'), 'confirm', deps);
  if (!check.ok) return check.response;
  const { sub, nonce, exp } = check.payload;
  // A confirm token without a nonce was not made by /subscribe: refuse rather than allow replays.
  if (!nonce) return invalidLink();

  const { subscriber, suppressed } = await loadSubscriber(deps, sub);
  // A suppression is never lifted here: a bounced confirmation must not be confirmable.
  if (!subscriber || suppressed) return cannotConfirm();
  const nowSeconds = Math.floor(deps.clock.now().getTime() / 1000);
  if (!(await deps.store.consumeNonce(`confirm#${nonce}`, exp ?? nowSeconds + CONFIRM_TTL_SECONDS))) return usedLink();
  if (subscriber.status !== 'active') {
    await deps.store.putSubscriber({ ...subscriber, status: 'active', updatedAt: deps.clock.now().toISOString() });
  }
  return subscribedPage();
}

function subscribedPage(): WebResponse {
  return htmlResponse(
    200,
    messagePage('You are subscribed', [
      'Your subscription is confirmed. Alerts arrive as stories match your topics.',
      'Every alert has links to change your settings or unsubscribe.',
    ]),
  );
}
