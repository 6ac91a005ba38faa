import type { TopicGroup } from './group-stories.ts';

/** Everything both parts of a digest show, already grouped and with links vetted. */
export interface DigestView {
  subject: string;
  to: string;
  timezone: string;
  /** When the digest was made, in the subscriber's zone (`28 Nov 2026, 08:00 GMT+9`). */
  madeAt: string;
  groups: TopicGroup[];
  itemCount: number;
  /** Stories still pending after this email (it was cut at mail.maxStoriesPerDigest). */
  waiting: number;
  /** Present only when it is an http(s) URL. */
  unsubscribeUrl?: string;
  manageUrl?: string;
}
