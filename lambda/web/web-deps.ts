import type { RecentStoryCache } from '../app/recent-story-cache.ts';
import type { Config } from '../core/config/schema.ts';
import type { Clock } from '../core/ports/clock.ts';
import type { Mailer } from '../core/ports/mailer.ts';
import type { WebStore } from '../core/ports/store.ts';

/** Request limits of the pages; each window is one clock hour (docs/subscriptions.md, "Abuse limits"). */
export interface WebLimits {
  /** Confirmation requests (and manage-link requests) per address per hour (default 3). */
  perAddressPerHour: number;
  /** Subscribe and manage-link requests per client IP per hour (default 30). */
  perIpPerHour: number;
  /** Saved changes (alerts and settings) per subscriber per hour (default 30). */
  savesPerSubscriberPerHour: number;
  /** Saved changes per client IP per hour (default 60). */
  savesPerIpPerHour: number;
  /** Alert previews per subscriber per hour (default 60). */
  previewsPerSubscriberPerHour: number;
  /** Alert previews per client IP per hour (default 120). */
  previewsPerIpPerHour: number;
}

export const defaultWebLimits: WebLimits = {
  perAddressPerHour: 3,
  perIpPerHour: 30,
  savesPerSubscriberPerHour: 30,
  savesPerIpPerHour: 60,
  previewsPerSubscriberPerHour: 60,
  previewsPerIpPerHour: 120,
};

/** Everything the router needs, injected: the same handler runs under `serve`, Lambda and tests. */
export interface WebDeps {
  config: Config;
  store: WebStore;
  mailer: Mailer;
  /** The HMAC key of signed tokens; `run` must sign digest links with the same key. */
  tokenKey: string;
  /** Base of links in emails, without a trailing slash (mail.publicUrl or the server's own URL). */
  publicUrl: string;
  clock: Clock;
  /** The week of stories alert previews search: one per process (per Lambda container), kept across requests. */
  recentStories: RecentStoryCache;
  limits?: Partial<WebLimits>;
  /** Called with failures the visitor only sees as a generic 500 page (logging). */
  onError?: (error: unknown) => void;
}
