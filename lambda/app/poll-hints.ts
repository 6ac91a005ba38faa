import type { ParsedFeed } from '../core/model.ts';
import type { FetchOutcome } from '../core/ports/feed-fetcher.ts';
import type { PollHints } from '../core/schedule/next-poll.ts';

// What a response and a feed say about how often to come back (docs/scheduling.md).

export function responseHints(outcome: FetchOutcome): PollHints {
  if (outcome.kind === 'error') return outcome.error.retryAfterSeconds !== undefined ? { retryAfterSeconds: outcome.error.retryAfterSeconds } : {};
  return outcome.hints?.maxAgeSeconds !== undefined ? { maxAgeSeconds: outcome.hints.maxAgeSeconds } : {};
}

/** The feed's own word (RSS ttl, sy:update*), kept in its state: a 304 has no body to read it from. */
export function feedHints(parsed: Pick<ParsedFeed, 'ttlMinutes' | 'updateEveryMinutes'>): PollHints {
  return {
    ...(parsed.ttlMinutes !== undefined ? { ttlMinutes: parsed.ttlMinutes } : {}),
    ...(parsed.updateEveryMinutes !== undefined ? { updateEveryMinutes: parsed.updateEveryMinutes } : {}),
  };
}
