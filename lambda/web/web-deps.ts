import type { Config } from '../core/config/schema.ts';
import type { Clock } from '../core/ports/clock.ts';
import type { Mailer } from '../core/ports/mailer.ts';
import type { WebStore } from '../core/ports/store.ts';

/** Limits of POST /subscribe; each window is one clock hour. */
export interface SubscribeLimits {
  /** Confirmation requests per address per hour (default 3). */
  perAddressPerHour: number;
  /** Subscribe requests per client IP per hour (default 30). */
  perIpPerHour: number;
}

export const defaultSubscribeLimits: SubscribeLimits = { perAddressPerHour: 3, perIpPerHour: 30 };

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
  limits?: Partial<SubscribeLimits>;
  /** Called with failures the visitor only sees as a generic 500 page (logging). */
  onError?: (error: unknown) => void;
}
