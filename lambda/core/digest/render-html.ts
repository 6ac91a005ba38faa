import type { DigestView } from './digest-view.ts';
import type { StoryView } from './group-stories.ts';
import { highlight } from './highlight.ts';
import { formatLocalDateTime } from './local-time.ts';
import { waitingLine } from './waiting-line.ts';
import { escapeHtml as esc, neutraliseControls, safeHttpUrl } from './safe-text.ts';

// Email HTML: tables and inline styles only (Outlook ignores most CSS, Gmail strips <style> in some
// clients), no scripts, no event attributes, no images. Every feed-derived string goes through
// esc(); every href through safeHttpUrl() and then esc().

const MARK_OPEN = '<mark style="background-color:#fff1a8;color:#000000;padding:0 1px;">';
const MARK_CLOSE = '</mark>';
const FONT = "font-family:Arial,Helvetica,sans-serif;";
const MUTED = 'color:#5f6368;font-size:12px;line-height:1.5;';

export function renderHtml(view: DigestView): string {
  const rows: string[] = [];
  rows.push(
    `<tr><td style="padding:20px 24px 4px;${FONT}">` +
      `<h1 style="margin:0;font-size:20px;line-height:1.3;color:#202124;">${esc(view.subject)}</h1>` +
      `<p style="margin:4px 0 0;${MUTED}">Newshound digest · ${esc(view.madeAt)}</p>` +
      (view.waiting > 0 ? `<p style="margin:8px 0 0;font-size:14px;color:#202124;"><b>${esc(waitingLine(view.waiting))}</b></p>` : '') +
      '</td></tr>',
  );
  for (const group of view.groups) {
    const count = group.stories.length;
    rows.push(
      `<tr><td style="padding:16px 24px 0;${FONT}">` +
        `<h2 style="margin:0;padding-bottom:4px;border-bottom:2px solid #1a73e8;font-size:16px;color:#202124;">` +
        `${esc(neutraliseControls(group.topic.name))} <span style="${MUTED}">(${count})</span></h2></td></tr>`,
    );
    for (const story of group.stories) rows.push(storyRow(story, view.timezone));
  }
  rows.push(footerRow(view));

  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(view.subject)}</title></head>`,
    '<body style="margin:0;padding:0;background-color:#f1f3f4;">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f1f3f4;">',
    '<tr><td align="center" style="padding:16px 8px;">',
    '<table role="presentation" width="640" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:640px;background-color:#ffffff;">',
    ...rows,
    '</table></td></tr></table></body></html>',
    '',
  ].join('\n');
}

function storyRow(story: StoryView, timezone: string): string {
  const { hit } = story;
  const title = highlight(neutraliseControls(hit.title), hit.titleMarks, MARK_OPEN, MARK_CLOSE, esc) || '(untitled)';
  const url = safeHttpUrl(hit.url);
  const heading = url
    ? `<a href="${esc(url)}" style="color:#1a0dab;text-decoration:none;font-weight:bold;">${title}</a>`
    : `<span style="font-weight:bold;">${title}</span>`;

  const meta = [esc(neutraliseControls(hit.source))];
  const published = hit.publishedAt ? new Date(hit.publishedAt) : undefined;
  if (published && !Number.isNaN(published.getTime())) meta.push(esc(formatLocalDateTime(published, timezone)));

  const parts = [
    `<p style="margin:0 0 4px;font-size:16px;line-height:1.35;">${heading}</p>`,
    `<p style="margin:0 0 6px;${MUTED}">${meta.join(' · ')}</p>`,
  ];
  const snippet = highlight(neutraliseControls(hit.snippet.text), hit.snippet.marks, MARK_OPEN, MARK_CLOSE, esc);
  if (snippet.trim()) {
    parts.push(`<p style="margin:0 0 6px;font-size:14px;line-height:1.5;color:#202124;">${snippet}</p>`);
  }
  const notes: string[] = [];
  for (const r of story.reasons) {
    const terms = r.terms.map((t) => `<b>${esc(t)}</b>`).join(', ');
    notes.push(
      `Why: ${terms} in ${esc(r.fields.join(', '))} · ${r.kind} ${esc(r.topic)} · feed ${esc(neutraliseControls(r.feedUrl))}`,
    );
  }
  if (story.otherTopics.length) notes.push(`Also matches: ${esc(story.otherTopics.join(', '))}`);
  if (story.alsoIn.length) notes.push(`Also in: ${esc(neutraliseControls(story.alsoIn.join(', ')))}`);
  if (notes.length) parts.push(`<p style="margin:0;${MUTED}">${notes.join('<br>')}</p>`);

  return `<tr><td style="padding:12px 24px;border-bottom:1px solid #e8eaed;word-break:break-word;overflow-wrap:anywhere;${FONT}">${parts.join('')}</td></tr>`;
}

function footerRow(view: DigestView): string {
  const links: string[] = [];
  if (view.unsubscribeUrl) {
    links.push(`<a href="${esc(view.unsubscribeUrl)}" style="color:#5f6368;">Unsubscribe</a>`);
  }
  if (view.manageUrl) links.push(`<a href="${esc(view.manageUrl)}" style="color:#5f6368;">Manage alerts</a>`);
  const times = `Times are shown in ${esc(view.timezone)}.`;
  return (
    `<tr><td style="padding:16px 24px 20px;${FONT}${MUTED}">` +
    `Sent to ${esc(view.to)} by Newshound. ${times}` +
    (links.length ? `<br>${links.join(' · ')}` : '') +
    '</td></tr>'
  );
}
