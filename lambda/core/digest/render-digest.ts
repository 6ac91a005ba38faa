import type { Hit } from '../domain/hit.ts';
import type { DigestView } from './digest-view.ts';
import { groupStories, type TopicGroup } from './group-stories.ts';
import { formatLocalDateTime, knownZone } from './local-time.ts';
import { renderHtml } from './render-html.ts';
import { renderText } from './render-text.ts';
import { safeHttpUrl, singleLine } from './safe-text.ts';

export interface DigestInput {
  to: string;
  timezone: string;
  hits: Hit[];
  /**
   * The subscriber's config topics (config order), then their personal alerts (`alert:<id>`, in the
   * order they made them), with the names the digest shows.
   */
  topics: Array<{ id: string; name: string }>;
  now: Date;
  unsubscribeUrl?: string;
  manageUrl?: string;
  /** storyKey → names of every feed that carried the story. */
  alsoCarriedBy?: Record<string, string[]>;
  /** Stories still pending after this email; the email says they follow in the next digest. */
  waiting?: number;
}

export interface RenderedDigest {
  subject: string;
  text: string;
  html: string;
  /** Extra headers for the MIME builder; values are single-line and free of controls. */
  headers: Record<string, string>;
  /** Distinct stories in the email. */
  itemCount: number;
}

/** Subjects longer than this list the first topics and "and N more". */
const SUBJECT_TOPICS_BUDGET = 100;

/** docs/behaviour.md, Digests: one digest email, both parts from one view so they never disagree. */
export function renderDigest(input: DigestInput): RenderedDigest {
  const groups = groupStories(input.hits, input.topics, input.alsoCarriedBy);
  const itemCount = groups.reduce((n, g) => n + g.stories.length, 0);
  const unsubscribeUrl = safeHttpUrl(input.unsubscribeUrl);
  const view: DigestView = {
    subject: subjectFor(itemCount, groups),
    to: singleLine(input.to),
    timezone: knownZone(input.timezone),
    madeAt: formatLocalDateTime(input.now, input.timezone),
    groups,
    itemCount,
    waiting: input.waiting ?? 0,
    unsubscribeUrl,
    manageUrl: safeHttpUrl(input.manageUrl),
  };

  const headers: Record<string, string> = { 'X-Newshound-Items': String(itemCount) };
  if (view.waiting > 0) headers['X-Newshound-Waiting'] = String(view.waiting);
  if (unsubscribeUrl) {
    // RFC 8058 one-click: the POST body is fixed; the token in the URL identifies the subscriber.
    headers['List-Unsubscribe'] = `<${unsubscribeUrl}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  return { subject: view.subject, text: renderText(view), html: renderHtml(view), headers, itemCount };
}

/**
 * `3 new stories: PLA cyber operations, JAXA`, from the names of config topics and of the subscriber's
 * own alerts only, never feed text.
 * Names every topic a story matched, including those a story is only listed under as "also matches".
 */
function subjectFor(count: number, groups: readonly TopicGroup[]): string {
  const matched = groups.flatMap((g) => [g.topic.name, ...g.stories.flatMap((s) => s.otherTopics)]);
  const names = [...new Set(matched.map(singleLine).filter(Boolean))];
  const head = `${count} new ${count === 1 ? 'story' : 'stories'}`;
  const shown: string[] = [];
  for (const name of names) {
    if (shown.length > 0 && [...shown, name].join(', ').length > SUBJECT_TOPICS_BUDGET) break;
    shown.push(name);
  }
  const rest = names.length - shown.length;
  if (shown.length === 0) return head;
  return `${head}: ${shown.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
}

