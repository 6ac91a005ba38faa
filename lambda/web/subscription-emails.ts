import type { Config } from '../core/config/schema.ts';
import type { OutgoingMessage } from '../core/ports/mailer.ts';
import { singleLine } from '../core/digest/safe-text.ts';
import { escapeHtml } from './html/escape.ts';

// The two emails the subscribe form can trigger, as data; the mail adapter composes them with the
// digest's MIME builder (text + HTML, every header encoded, a recipient holding CR/LF or a second
// address refused).

export interface SubscriptionEmailInput {
  config: Config;
  to: string;
  now: Date;
  /** The link to press. */
  link: string;
  topicIds: readonly string[];
  /** The personal alert a confirmation link creates. */
  alert?: { name: string; query: string };
}

function topicNames(config: Config, ids: readonly string[]): string[] {
  return ids.map((id) => config.topics.find((t) => t.id === id)?.name ?? id);
}

function build(input: SubscriptionEmailInput, subject: string, lines: string[], button: string): OutgoingMessage {
  const topics = topicNames(input.config, input.topicIds);
  // The alert's name and query are the requester's own words: single lines in the text part, escaped in the HTML.
  const alert = input.alert ? `Your alert: ${singleLine(input.alert.name)} (${singleLine(input.alert.query)})` : undefined;
  const settings = [...(topics.length ? [`Topics: ${topics.join(', ')}`] : []), ...(alert ? [alert] : [])];
  const text = [...lines, '', input.link, '', ...(settings.length ? [...settings, ''] : []), 'If you did not ask for this, ignore this email: nothing more will be sent.', ''].join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">
${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
<p><a href="${escapeHtml(input.link)}" style="display:inline-block;padding:10px 18px;background:#1d4ed8;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(button)}</a></p>
<p style="font-size:13px;color:#555">Or copy this link: ${escapeHtml(input.link)}</p>
${topics.length ? `<p>Topics: ${topics.map(escapeHtml).join(', ')}</p>` : ''}${alert ? `<p>${escapeHtml(alert)}</p>` : ''}
<p style="font-size:13px;color:#555">If you did not ask for this, ignore this email: nothing more will be sent.</p>
</body></html>`;
  return { from: input.config.mail.from, to: input.to, date: input.now, content: { subject, text, html, headers: {} } };
}

/** Double opt-in: the link opens /confirm, whose button activates the subscription. */
export function confirmationEmail(input: SubscriptionEmailInput): OutgoingMessage {
  return build(
    input,
    'Confirm your Newshound subscription',
    ['Someone (hopefully you) asked to receive Newshound news alerts at this address.', 'Open the link below and press Confirm to start. The link works once and expires in 48 hours.'],
    'Confirm subscription',
  );
}

/** Sent instead when the address is already subscribed: the form must not reveal that, the mailbox may. */
export function alreadySubscribedEmail(input: SubscriptionEmailInput): OutgoingMessage {
  return build(
    input,
    'Your Newshound subscription',
    ['Someone (hopefully you) asked to subscribe this address to Newshound news alerts, but it is already subscribed.', 'To add or change your alerts, topics, frequency or time zone, open this link:'],
    'Manage your alerts',
  );
}

/** The answer to "Already subscribed? Email me my manage link" (sent only to a subscribed address). */
export function manageLinkEmail(input: SubscriptionEmailInput): OutgoingMessage {
  return build(
    input,
    'Your Newshound manage link',
    ['Someone (hopefully you) asked for the link to manage the Newshound alerts of this address.', 'Open it to add, edit, preview, pause or delete your alerts, change your topics, or unsubscribe:'],
    'Manage your alerts',
  );
}
