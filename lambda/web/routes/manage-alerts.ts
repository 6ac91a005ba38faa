import { randomBytes } from 'node:crypto';
import { previewAlert } from '../../app/preview-alert.ts';
import { saveSubscriber } from '../../app/subscriber-changes.ts';
import { addAlert, removeAlert, setAlertPaused, updateAlert } from '../../core/alerts/alert-changes.ts';
import { newAlertId } from '../../core/alerts/alert-id.ts';
import { checkAlert, queryProblem } from '../../core/alerts/alert-input.ts';
import type { Alert } from '../../core/domain/alert.ts';
import type { Subscriber } from '../../core/domain/subscriber.ts';
import { parseAlertRequest, type AlertRequest } from '../forms/alert-form.ts';
import { parseForm, singleField } from '../forms/parse-form.ts';
import { managePage, NEW_ALERT, type ManagePageInput } from '../html/manage-page.ts';
import { messagePage } from '../html/message-page.ts';
import { PREVIEW_LIMIT } from '../html/preview-results.ts';
import type { WebRequest, WebResponse } from '../http-types.ts';
import { loadSubscriber } from '../load-subscriber.ts';
import { allowPreview, allowSave } from '../rate-limit.ts';
import { readToken } from '../read-token.ts';
import { htmlResponse } from '../responses.ts';
import type { WebDeps } from '../web-deps.ts';
import { manageable, notSubscribed, unsubscribeToken } from './manage.ts';

// POST /manage/alerts: one form per alert, the pressed button's `action` says what to do
// (docs/subscriptions.md, "Personal alerts"). The manage token names one subscriber; the alert id
// is only ever looked up in that subscriber's own profile, so another subscriber's alert id gets
// the same answer as an id that never existed.

const noSuchAlert = (): WebResponse =>
  htmlResponse(404, messagePage('No such alert', ['This alert does not exist (it may have been deleted). Open your manage link again to see your alerts.']));

const TOO_MANY_CHANGES = 'Too many changes in the last hour. Nothing was saved: please try again later.';
const TOO_MANY_PREVIEWS = 'Too many previews in the last hour: please try again later.';

export async function postManageAlerts(req: WebRequest, deps: WebDeps): Promise<WebResponse> {
  const fields = parseForm(req.body, req.headers['content-type']);
  const check = readToken(singleField(fields, 'token'), 'manage', deps);
  if (!check.ok) return check.response;
  const request = parseAlertRequest(fields);
  const { subscriber, stored } = await loadSubscriber(deps, check.payload.sub);
  if (!manageable(subscriber)) return notSubscribed();

  const alerts = subscriber.alerts ?? [];
  const alert = request.alertId === undefined ? undefined : alerts.find((a) => a.id === request.alertId);
  if (request.alertId !== undefined && !alert) return noSuchAlert();
  if (request.action === 'add' ? alert !== undefined : request.action !== 'preview' && alert === undefined) return noSuchAlert();

  const page: ManagePageInput = { config: deps.config, subscriber, token: check.token, unsubscribeToken: unsubscribeToken(subscriber, deps) };
  const target = alert?.id ?? NEW_ALERT;
  const sent = { target, draft: request.draft };
  const now = deps.clock.now();
  const rate = { subscriberId: subscriber.id, sourceIp: req.sourceIp, now };

  if (request.action === 'preview') {
    const problem = queryProblem(request.draft.query, deps.config.alerts.maxQueryLength);
    if (problem) return htmlResponse(400, managePage({ ...page, alertForm: { ...sent, errors: [problem] } }));
    if (!(await allowPreview(deps.store, rate, deps.limits))) {
      return htmlResponse(429, managePage({ ...page, alertForm: { ...sent, errors: [] }, problem: { target, message: TOO_MANY_PREVIEWS } }));
    }
    const result = previewAlert(request.draft.query, await deps.recentStories.stories(), now, PREVIEW_LIMIT);
    return htmlResponse(200, managePage({ ...page, alertForm: { ...sent, errors: [] }, preview: { target, result } }));
  }

  const change = applyChange(request, alerts, alert, deps, now);
  if (!change.ok) return htmlResponse(change.status, managePage({ ...page, ...change.page }));
  if (!(await allowSave(deps.store, rate, deps.limits))) {
    return htmlResponse(429, managePage({ ...page, alertForm: { ...sent, errors: [] }, problem: { target, message: TOO_MANY_CHANGES } }));
  }
  // A config-file address may have no stored record: its first write keeps the file's settings,
  // which the cycle ignores anyway (the file owns them); an API record listed in the file keeps its own.
  const base: Subscriber = stored ?? subscriber;
  const updated: Subscriber = { ...base, alerts: change.alerts, updatedAt: now.toISOString() };
  await saveSubscriber(deps.store, updated);
  return htmlResponse(200, managePage({ ...page, subscriber: { ...subscriber, alerts: change.alerts }, notice: change.notice }));
}

type Change =
  | { ok: true; alerts: Alert[]; notice: string }
  | { ok: false; status: number; page: Pick<ManagePageInput, 'alertForm' | 'problem'> };

function applyChange(request: AlertRequest, alerts: Alert[], alert: Alert | undefined, deps: WebDeps, now: Date): Change {
  const limits = deps.config.alerts;
  const target = alert?.id ?? NEW_ALERT;
  const quoted = (name: string) => `“${name}”`;
  switch (request.action) {
    case 'add':
    case 'save': {
      const checked = checkAlert(request.draft, limits);
      if (!checked.ok) return { ok: false, status: 400, page: { alertForm: { target, draft: request.draft, errors: checked.errors } } };
      if (request.action === 'save' && alert) {
        return { ok: true, alerts: updateAlert(alerts, alert.id, checked.value, now) as Alert[], notice: `Saved ${quoted(checked.value.name)}. The next digest follows it.` };
      }
      const id = newAlertId(randomBytes, new Set(alerts.map((a) => a.id)));
      const added = addAlert(alerts, checked.value, id, now, limits.maxPerSubscriber);
      if (!added) {
        const message = `You have ${limits.maxPerSubscriber} alerts, the most one subscriber may keep. Delete one to add another.`;
        return { ok: false, status: 400, page: { alertForm: { target, draft: request.draft, errors: [] }, problem: { target, message } } };
      }
      return { ok: true, alerts: added, notice: `Added ${quoted(checked.value.name)}. Stories it matches from now on arrive in your digests.` };
    }
    case 'pause':
    case 'resume': {
      const paused = request.action === 'pause';
      const name = quoted((alert as Alert).name);
      const notice = paused ? `Paused ${name}: it matches nothing until you resume it.` : `Resumed ${name}.`;
      return { ok: true, alerts: setAlertPaused(alerts, (alert as Alert).id, paused, now) as Alert[], notice };
    }
    case 'delete':
      return { ok: true, alerts: removeAlert(alerts, (alert as Alert).id) as Alert[], notice: `Deleted ${quoted((alert as Alert).name)}.` };
    case 'preview':
      throw new Error('a preview changes nothing');
  }
}
