import { subscriberId } from '../../core/ids/subscriber-id.ts';
import type { Subscriber } from '../../core/domain/subscriber.ts';
import { signToken } from '../../core/tokens/signed-token.ts';
import { signConfirmation } from '../confirmation-token.ts';
import { parseForm } from '../forms/parse-form.ts';
import { parseSubscribeForm, type FieldError, type SubscribeInput } from '../forms/subscription-form.ts';
import { checkInboxPage, subscribePage } from '../html/subscribe-page.ts';
import type { WebRequest, WebResponse } from '../http-types.ts';
import { allowSubscribeRequest } from '../rate-limit.ts';
import { loadSubscriber } from '../load-subscriber.ts';
import { htmlResponse } from '../responses.ts';
import { alreadySubscribedEmail, confirmationEmail } from '../subscription-emails.ts';
import type { WebDeps } from '../web-deps.ts';

export function getSubscribe(deps: WebDeps): WebResponse {
  return htmlResponse(200, subscribePage(deps.config));
}

/**
 * POST /subscribe. Every accepted request gets the same page, whatever the address's state and
 * whether the rate limit let it through, so the form never tells who is subscribed. What differs
 * is only what the mailbox receives.
 */
export async function postSubscribe(req: WebRequest, deps: WebDeps): Promise<WebResponse> {
  const form = parseSubscribeForm(parseForm(req.body, req.headers['content-type']), deps.config);
  if (!form.ok) return htmlResponse(400, subscribePage(deps.config, form.draft, form.errors));

  const now = deps.clock.now();
  const id = subscriberId(form.value.email);
  const { email: _email, ...settings } = form.value;
  // Signed before anything else: whether the settings fit in a link depends on the form alone,
  // never on the address's state, so this refusal reveals nothing about who is subscribed.
  const confirmToken = signConfirmation(id, settings, now, deps.tokenKey);
  if (!confirmToken) {
    const tooMany: FieldError = settings.alert
      ? { field: 'alertQuery', message: 'this alert and these topics do not fit in one confirmation link: shorten the query or choose fewer topics now, and add the rest from the manage link in any email' }
      : { field: 'topics', message: 'too many topics for one confirmation link: choose fewer now and add the rest from the manage link in any alert' };
    const { alert, ...typed } = form.value;
    return htmlResponse(400, subscribePage(deps.config, { ...typed, alertName: alert?.name ?? '', alertQuery: alert?.query ?? '' }, [tooMany]));
  }
  if (await allowSubscribeRequest(deps.store, { subscriberId: id, sourceIp: req.sourceIp, now }, deps.limits)) {
    await requestSubscription(id, form.value, confirmToken, now, deps);
  }
  return htmlResponse(200, checkInboxPage());
}

async function requestSubscription(id: string, input: SubscribeInput, confirmToken: string, now: Date, deps: WebDeps): Promise<void> {
  const { subscriber: existing, suppressed, listed } = await loadSubscriber(deps, id);
  // Bounced or complained: never mailed again, not even a confirmation.
  if (suppressed) return;

  if (existing?.status === 'active') {
    // Not downgraded to pending: an attacker must not be able to pause someone's alerts.
    const token = signToken({ sub: id, purpose: 'manage' }, deps.tokenKey);
    const email = await alreadySubscribedEmail({
      config: deps.config,
      to: existing.email,
      now,
      link: `${deps.publicUrl}/manage?token=${token}`,
      topicIds: existing.topics,
    });
    await deps.mailer.send(email);
    return;
  }

  // A config-file address keeps its record as it is: the file owns its settings, and a pending
  // record would count as "listed, so active" without any confirmation. A pending record stays as
  // its first request wrote it: the settings a confirmation activates travel in its own link, so
  // a stranger's request for the same address changes nothing the owner's link activates.
  if (!listed && existing?.status !== 'pending') {
    const at = now.toISOString();
    const pending: Subscriber = {
      id,
      email: input.email,
      topics: input.topics,
      frequency: input.frequency,
      timezone: input.timezone,
      status: 'pending',
      source: 'api',
      // A returning address keeps the alerts it had; the link's own alert is added on confirmation.
      ...(existing?.alerts ? { alerts: existing.alerts } : {}),
      createdAt: existing?.createdAt ?? at,
      updatedAt: at,
    };
    await deps.store.putSubscriber(pending);
  }

  const email = await confirmationEmail({
    config: deps.config,
    to: existing?.email ?? input.email,
    now,
    link: `${deps.publicUrl}/confirm?token=${confirmToken}`,
    topicIds: listed && existing ? existing.topics : input.topics,
    ...(input.alert ? { alert: input.alert } : {}),
  });
  await deps.mailer.send(email);
}
