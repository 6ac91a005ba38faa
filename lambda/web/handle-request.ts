import { FormError } from './forms/parse-form.ts';
import type { WebRequest, WebResponse } from './http-types.ts';
import { badForm, methodNotAllowed, notFound, serverError } from './responses.ts';
import { getConfirm, postConfirm } from './routes/confirm.ts';
import { getManage, postManage } from './routes/manage.ts';
import { postManageAlerts } from './routes/manage-alerts.ts';
import { getManageLink, postManageLink } from './routes/manage-link.ts';
import { getSubscribe, postSubscribe } from './routes/subscribe.ts';
import { getUnsubscribe, postUnsubscribe } from './routes/unsubscribe.ts';
import type { WebDeps } from './web-deps.ts';

type Handler = (req: WebRequest, deps: WebDeps) => WebResponse | Promise<WebResponse>;

const ROUTES: Record<string, { GET?: Handler; POST?: Handler }> = {
  '/': { GET: (_req, deps) => getSubscribe(deps) },
  '/subscribe': { GET: (_req, deps) => getSubscribe(deps), POST: postSubscribe },
  '/confirm': { GET: getConfirm, POST: postConfirm },
  '/manage': { GET: getManage, POST: postManage },
  '/manage/alerts': { POST: postManageAlerts },
  '/manage-link': { GET: () => getManageLink(), POST: postManageLink },
  '/unsubscribe': { GET: getUnsubscribe, POST: postUnsubscribe },
};

/**
 * The whole subscription web app: one function from request to response, shared by `newshound
 * serve` (node:http) and the Lambda behind the HTTP API. GET and HEAD never change state.
 */
export async function handleRequest(req: WebRequest, deps: WebDeps): Promise<WebResponse> {
  const route = ROUTES[req.path.length > 1 ? req.path.replace(/\/+$/, '') : req.path];
  if (!route) return notFound();
  const method = req.method.toUpperCase();
  const handler = method === 'HEAD' ? route.GET : route[method as 'GET' | 'POST'];
  if (!handler) return methodNotAllowed([...(route.GET ? ['GET', 'HEAD'] : []), ...(route.POST ? ['POST'] : [])].join(', '));
  try {
    const response = await handler(req, deps);
    return method === 'HEAD' ? { ...response, body: '' } : response;
  } catch (error) {
    if (error instanceof FormError) return badForm(error.kind === 'too-large' ? 413 : 400, error.message);
    deps.onError?.(error);
    return serverError();
  }
}
