import { openStore } from '../../adapters/dynamodb/open-store.ts';
import { loadConfigFile } from '../../adapters/config/load-config.ts';
import { HttpHubClient } from '../../adapters/http/http-hub-client.ts';
import { effectiveFeeds } from '../../app/live-config.ts';
import { callbackBase } from '../../app/websub/callback-base.ts';
import { unsubscribeFeed } from '../../app/websub/unsubscribe-feed.ts';
import { systemClock } from '../../core/ports/clock.ts';
import { emptyFeedState } from '../../core/cycle/next-feed-state.ts';
import { singleLine } from '../../core/digest/safe-text.ts';
import { LIVE_CONFIG_VERSION } from '../../core/ports/version-store.ts';
import { EXIT_CONFIG, EXIT_OK, type CliIo } from '../io.ts';

export interface FeedEditOptions {
  config: string;
  data: string;
  name?: string;
}

/**
 * `newshound feeds add URL [--name N]`: a feed kept in the store beside the config file's, due at
 * once, so the next dispatch polls it: no redeploy. Works on the embedded store and, with
 * NEWSHOUND_TABLE, on the deployed table.
 */
export async function addFeedCommand(url: string, options: FeedEditOptions, io: CliIo): Promise<number> {
  const checked = httpUrl(url);
  if (!checked) {
    io.stderr(`newshound feeds add: ${JSON.stringify(url)} is not an http(s) URL`);
    return EXIT_CONFIG;
  }
  const config = loadConfigFile(options.config);
  const opened = await openStore({ dataDir: options.data, env: io.env });
  try {
    const { store } = opened;
    const now = new Date();
    await store.putStoredFeed({ url: checked, ...(options.name ? { name: options.name } : {}), addedAt: now.toISOString() });
    // Due now: the dispatcher finds it in the due index at its next run.
    const state = (await store.getFeedStates([checked])).get(checked);
    if (!state) await store.putFeedState({ ...emptyFeedState(checked), nextDueAt: now.toISOString() });
    else await store.putFeedState({ ...state, nextDueAt: now.toISOString() });
    await store.bumpVersion(LIVE_CONFIG_VERSION);
    const inFile = config.feeds.some((f) => f.url === checked);
    io.stdout(`Added ${singleLine(options.name ?? checked)} <${checked}>${inFile ? ' (also in the config file)' : ''}; it is polled at the next dispatch.`);
    return EXIT_OK;
  } finally {
    await opened.close();
  }
}

/** `newshound feeds remove URL`: stops polling a feed, whether it was added or is in the config file. */
export async function removeFeedCommand(url: string, options: FeedEditOptions, io: CliIo): Promise<number> {
  const config = loadConfigFile(options.config);
  const opened = await openStore({ dataDir: options.data, env: io.env });
  try {
    const { store } = opened;
    const stored = await store.listStoredFeeds();
    if (!effectiveFeeds(config.feeds, stored).some((f) => f.url === url)) {
      io.stderr(`newshound feeds remove: no feed ${JSON.stringify(url)} is being polled (see newshound feeds)`);
      return EXIT_CONFIG;
    }
    const known = stored.find((f) => f.url === url);
    const now = new Date().toISOString();
    await store.putStoredFeed({ url, ...(known?.name ? { name: known.name } : {}), addedAt: known?.addedAt ?? now, removedAt: now });
    await store.bumpVersion(LIVE_CONFIG_VERSION);
    io.stdout(`Removed <${url}>; it is no longer polled${config.feeds.some((f) => f.url === url) ? ' (the config file still lists it: `feeds add` brings it back)' : ''}.`);
    // Its push subscription ends too (docs/feeds.md, "Push (WebSub)"): the hub is asked to stop.
    const request = { timeoutMs: config.fetch.timeoutSeconds * 1000, allowPrivateNetworks: config.fetch.allowPrivateNetworks };
    const push = await unsubscribeFeed({ store, hub: new HttpHubClient(), request, clock: systemClock, callbackBase: callbackBase(config) }, url);
    if (push) io.stdout(`Push: ${singleLine(push)}.`);
    return EXIT_OK;
  } finally {
    await opened.close();
  }
}

function httpUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
