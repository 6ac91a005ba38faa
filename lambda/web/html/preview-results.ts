import type { AlertPreview, PreviewStory } from '../../app/preview-alert.ts';
import { PREVIEW_DAYS } from '../../app/recent-story-cache.ts';
import { highlight } from '../../core/digest/highlight.ts';
import { formatLocalDateTime } from '../../core/digest/local-time.ts';
import { neutraliseControls, safeHttpUrl } from '../../core/digest/safe-text.ts';
import { escapeHtml } from './escape.ts';

/** The preview shows at most this many stories (the newest). */
export const PREVIEW_LIMIT = 20;

const stories = (n: number): string => `${n.toLocaleString('en-US')} ${n === 1 ? 'story' : 'stories'}`;

/** Feed text with its marks as <mark>, everything escaped (controls become spaces; offsets unchanged). */
const marked = (text: string, marks: ReadonlyArray<readonly [number, number]>): string =>
  highlight(neutraliseControls(text), marks, '<mark>', '</mark>', escapeHtml);

function storyItem(story: PreviewStory, timezone: string): string {
  const title = marked(story.title, story.titleMarks);
  const url = safeHttpUrl(story.url);
  const heading = url ? `<a href="${escapeHtml(url)}">${title}</a>` : title;
  const when = formatLocalDateTime(new Date(story.publishedAt ?? story.firstSeenAt), timezone);
  const snippet = story.snippet.text ? `\n<p>${marked(story.snippet.text, story.snippet.marks)}</p>` : '';
  return `<li><p><strong>${heading}</strong></p>
<p class="note">${escapeHtml(neutraliseControls(story.source))} · ${escapeHtml(when)}</p>${snippet}</li>`;
}

/**
 * What the query would have caught in the last PREVIEW_DAYS, newest first. Focused when the page
 * loads, so the visitor who pressed Preview lands on the answer (the form's action also points at it).
 */
export function previewResults(preview: AlertPreview, timezone: string): string {
  const heading =
    preview.matched === 0
      ? `no stories in the last ${PREVIEW_DAYS} days`
      : `${stories(preview.matched)} in the last ${PREVIEW_DAYS} days ${preview.matched === 1 ? 'matches' : 'match'}`;
  const shown = preview.matched > preview.stories.length ? ` The newest ${preview.stories.length} are shown.` : '';
  const list = preview.stories.length > 0 ? `\n<ol>\n${preview.stories.map((s) => storyItem(s, timezone)).join('\n')}\n</ol>` : '';
  return `<section class="preview" id="preview" tabindex="-1" autofocus aria-labelledby="preview-heading">
<h3 id="preview-heading">Preview: ${escapeHtml(heading)}</h3>
<p class="note">Preview only: nothing was saved. ${escapeHtml(stories(preview.scanned))} from the last ${PREVIEW_DAYS} days searched.${shown}</p>${list}
</section>`;
}
