import { subscriberId } from '../../core/ids/subscriber-id.ts';
import { signToken } from '../../core/tokens/signed-token.ts';
import { parseForm, singleField } from '../forms/parse-form.ts';
import { parseEmail } from '../forms/subscription-form.ts';
import { linkSentPage, manageLinkPage } from '../html/manage-link-page.ts';
import type { WebRequest, WebResponse } from '../http-types.ts';
import { loadSubscriber } from '../load-subscriber.ts';
import { allowSubscribeRequest } from '../rate-limit.ts';
import { htmlResponse } from '../responses.ts';
import { manageLinkEmail } from '../subscription-emails.ts';
import type { WebDeps } from '../web-deps.ts';

/** GET /manage-link: "Already subscribed? We'll email you your manage link." */
export function getManageLink(): WebResponse {
  return htmlResponse(200, manageLinkPage());
}

/**
 * POST /manage-link: the manage link goes by email to a subscribed address, and only there; the page
 * is the same whatever the address's state (and whether the rate limit, shared with subscribing,
 * let it through), so it reveals nobody.
 */
export async function postManageLink(req: WebRequest, deps: WebDeps): Promise<WebResponse> {
  const typed = singleField(parseForm(req.body, req.headers['content-type']), 'email') ?? '';
  const email = parseEmail(typed);
  if (!email.ok) return htmlResponse(400, manageLinkPage(typed, email.message));
  const id = subscriberId(email.value);
  const now = deps.clock.now();
  if (await allowSubscribeRequest(deps.store, { subscriberId: id, sourceIp: req.sourceIp, now }, deps.limits)) {
    const { subscriber, suppressed } = await loadSubscriber(deps, id);
    if (subscriber?.status === 'active' && !suppressed) {
      const token = signToken({ sub: id, purpose: 'manage' }, deps.tokenKey);
      await deps.mailer.send(manageLinkEmail({ config: deps.config, to: subscriber.email, now, link: `${deps.publicUrl}/manage?token=${token}`, topicIds: subscriber.topics }));
    }
  }
  return htmlResponse(200, linkSentPage());
}
