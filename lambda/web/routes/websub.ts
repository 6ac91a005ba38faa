import { handleWebSubCallback, type CallbackDeps } from '../../app/websub/handle-callback.ts';
import type { WebRequest, WebResponse } from '../http-types.ts';

/** Where hubs call back: `/websub/<callback id>` (docs/feeds.md, "Push (WebSub)"). */
const WEBSUB_PATH_PREFIX = '/websub/';

/** A callback id as the subscriber makes them: 128 random bits in hex. */
const CALLBACK_ID = /^[0-9a-f]{32}$/;

/**
 * The WebSub callback route, apart from the subscription pages: its bodies may be as large as a
 * feed (fetch.maxBytes, not the forms' 8 KB) and its deps are the poll side's, not the pages'.
 * The same function serves `newshound up` and a Lambda behind the HTTP API.
 */
export function websubRoute(deps: CallbackDeps): (req: WebRequest) => Promise<WebResponse> {
  return async (req) => {
    const id = req.path.startsWith(WEBSUB_PATH_PREFIX) ? req.path.slice(WEBSUB_PATH_PREFIX.length) : '';
    if (!CALLBACK_ID.test(id)) return { status: 404, headers: { 'cache-control': 'no-store' }, body: '' };
    const body = typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : req.body;
    const { response } = await handleWebSubCallback({ method: req.method, callbackId: id, query: req.query, headers: req.headers, body }, deps);
    return response;
  };
}
