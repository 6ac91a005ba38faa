import { assertBodySize, parseForm, singleField } from '../forms/parse-form.ts';
import { unsubscribedPage, unsubscribePage } from '../html/token-pages.ts';
import type { WebRequest, WebResponse } from '../http-types.ts';
import { loadSubscriber } from '../load-subscriber.ts';
import { readToken } from '../read-token.ts';
import { htmlResponse } from '../responses.ts';
import type { WebDeps } from '../web-deps.ts';
import { saveSubscriber } from '../../app/subscriber-changes.ts';

/** GET /unsubscribe: a page with the one-click button; following the link alone changes nothing. */
export async function getUnsubscribe(req: WebRequest, deps: WebDeps): Promise<WebResponse> {
  const check = readToken(req.query.get('token') ?? undefined, 'unsubscribe', deps);
  if (!check.ok) return check.response;
  const { subscriber } = await loadSubscriber(deps, check.payload.sub);
  if (!subscriber || subscriber.status === 'unsubscribed' || subscriber.status === 'suppressed') {
    return htmlResponse(200, unsubscribedPage());
  }
  return htmlResponse(200, unsubscribePage(check.token, subscriber.email));
}

/**
 * POST /unsubscribe, the RFC 8058 one-click endpoint: the token comes in the List-Unsubscribe URL's
 * query (mail providers POST `List-Unsubscribe=One-Click` to it, urlencoded or multipart) or in the
 * page's form. No cookie, no login; 200 and idempotent; the status is written before the answer,
 * so the next digest already skips the address.
 */
export async function postUnsubscribe(req: WebRequest, deps: WebDeps): Promise<WebResponse> {
  assertBodySize(req.body);
  const token = req.query.get('token') ?? tokenFromForm(req);
  const check = readToken(token, 'unsubscribe', deps);
  if (!check.ok) return check.response;
  const { subscriber } = await loadSubscriber(deps, check.payload.sub);
  // Suppressed stays suppressed (it is the stronger state); absent or already unsubscribed: done.
  // A config-file address with no stored record gets one now ({source: 'config', unsubscribed,
  // the file's settings}), which the cycle reads as "listed, but unsubscribed".
  if (subscriber && (subscriber.status === 'active' || subscriber.status === 'pending')) {
    await saveSubscriber(deps.store, { ...subscriber, status: 'unsubscribed', updatedAt: deps.clock.now().toISOString() });
  }
  return htmlResponse(200, unsubscribedPage());
}

function tokenFromForm(req: WebRequest): string | undefined {
  assertBodySize(req.body);
  const type = req.headers['content-type'];
  // A multipart one-click POST carries no token in its body: the query had to.
  if (!(type ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) return undefined;
  return singleField(parseForm(req.body, type), 'token');
}
