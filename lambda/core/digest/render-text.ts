import type { DigestView } from './digest-view.ts';
import type { StoryView } from './group-stories.ts';
import { highlight } from './highlight.ts';
import { formatLocalDateTime } from './local-time.ts';
import { waitingLine } from './waiting-line.ts';
import { safeHttpUrl, singleLine } from './safe-text.ts';

// The plain-text part carries everything the HTML part does. Matched terms read «like this».
// Feed text is flattened to single lines so it can never fake the layout (a title cannot start
// its own "Unsubscribe:" line).

const keep = (s: string) => s;

export function renderText(view: DigestView): string {
  const lines: string[] = [view.subject, `Newshound digest · ${view.madeAt}`, ''];
  if (view.waiting > 0) lines.push(waitingLine(view.waiting), '');
  for (const group of view.groups) {
    const heading = `${singleLine(group.topic.name)} (${group.stories.length})`;
    lines.push(heading, '='.repeat(Math.min(heading.length, 72)), '');
    for (const story of group.stories) lines.push(...storyLines(story, view.timezone), '');
  }
  lines.push('-- ', `Sent to ${view.to} by Newshound. Times are shown in ${view.timezone}.`);
  if (view.unsubscribeUrl) lines.push(`Unsubscribe: ${view.unsubscribeUrl}`);
  if (view.manageUrl) lines.push(`Manage alerts: ${view.manageUrl}`);
  return `${lines.join('\n')}\n`;
}

function storyLines(story: StoryView, timezone: string): string[] {
  const { hit } = story;
  // Highlight on the original (mark offsets refer to it), then flatten the result.
  const title = singleLine(highlight(hit.title, hit.titleMarks, '«', '»', keep)) || '(untitled)';
  const lines = [`* ${title}`];
  const url = safeHttpUrl(hit.url);
  if (url) lines.push(`  ${url}`);
  const meta = [singleLine(hit.source)];
  const published = hit.publishedAt ? new Date(hit.publishedAt) : undefined;
  if (published && !Number.isNaN(published.getTime())) meta.push(formatLocalDateTime(published, timezone));
  lines.push(`  ${meta.join(' · ')}`);
  const snippet = singleLine(highlight(hit.snippet.text, hit.snippet.marks, '«', '»', keep));
  if (snippet) lines.push(`  ${snippet}`);
  for (const r of story.reasons) {
    lines.push(`  Why: ${singleLine(r.terms.join(', '))} in ${r.fields.join(', ')} · ${r.kind} ${singleLine(r.topic)} · feed ${singleLine(r.feedUrl)}`);
  }
  if (story.otherTopics.length) lines.push(`  Also matches: ${singleLine(story.otherTopics.join(', '))}`);
  if (story.alsoIn.length) lines.push(`  Also in: ${singleLine(story.alsoIn.join(', '))}`);
  return lines;
}
