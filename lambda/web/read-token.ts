import type { TokenPayload, TokenPurpose } from '../core/tokens/signed-token.ts';
import { verifyToken } from '../core/tokens/signed-token.ts';
import { messagePage } from './html/message-page.ts';
import type { WebResponse } from './http-types.ts';
import { htmlResponse } from './responses.ts';
import type { WebDeps } from './web-deps.ts';

export type TokenCheck = { ok: true; token: string; payload: TokenPayload } | { ok: false; response: WebResponse };

/** A clear page for every way a link can be wrong; none of them changes anything. */
export function readToken(token: string | undefined, purpose: TokenPurpose, deps: WebDeps): TokenCheck {
  if (!token) return { ok: false, response: invalidLink() };
  const result = verifyToken(token, deps.tokenKey, purpose, deps.clock.now());
  if (result.ok) return { ok: true, token, payload: result.payload };
  if (result.reason === 'expired') {
    return {
      ok: false,
      response: htmlResponse(
        410,
        messagePage('This link has expired', ['Confirmation links work for 48 hours. Subscribe again to get a new one.'], { linkHome: true }),
      ),
    };
  }
  return { ok: false, response: invalidLink() };
}

export function invalidLink(): WebResponse {
  return htmlResponse(
    400,
    messagePage('This link is not valid', [
      'The link may have been cut short or changed. Open it again from the email, or copy the whole link into the address bar.',
    ], { linkHome: true }),
  );
}

export function usedLink(): WebResponse {
  return htmlResponse(
    410,
    messagePage('This link was already used', ['Each confirmation link works once. If you are not receiving alerts, subscribe again.'], { linkHome: true }),
  );
}
