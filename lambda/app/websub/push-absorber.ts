import type { PollOutcome, WorkerDeps } from '../poll-one-feed.ts';
import { pollContext } from '../poll-context.ts';
import { absorbPush } from './absorb-push.ts';
import type { CallbackDeps } from './handle-callback.ts';

/** Bytes to characters as a polled body is read: BOM, then the Content-Type charset, then the XML declaration. */
export type DecodeBody = (bytes: Buffer, contentType: string | undefined) => string;

/**
 * The callback's way into the poll path: the feed as the workers know it (the live config), the
 * same context a poll gets, and the body decoded as a polled one would be (docs/feeds.md, "Push
 * (WebSub)"). `onAbsorbed` sees each report, as `up` prints a polled one.
 */
export function pushAbsorber(
  deps: WorkerDeps,
  decode: DecodeBody,
  onAbsorbed: (outcome: PollOutcome) => void = () => undefined,
): CallbackDeps['absorb'] {
  return async (feedUrl, body, contentType) => {
    const now = deps.clock.now();
    let live = await deps.live.current(now);
    if (!live.feeds.some((f) => f.url === feedUrl)) live = await deps.live.refresh(now);
    const feed = live.feeds.find((f) => f.url === feedUrl);
    if (!feed) return 'unknown feed';
    const stored = (await deps.store.getFeedStates([feedUrl])).get(feedUrl);
    const ctx = pollContext({ store: deps.store, fetcher: deps.fetcher, config: deps.config, log: deps.log }, live, now);
    onAbsorbed({ polled: await absorbPush(ctx, feed, stored, decode(body, contentType)) });
    return 'absorbed';
  };
}
