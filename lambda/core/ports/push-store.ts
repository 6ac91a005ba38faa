import type { PushState } from '../domain/push-state.ts';

/** Feeds' WebSub subscriptions (docs/feeds.md, "Push (WebSub)"; layout: docs/table-layout.md). */
export interface PushStore {
  getPushStates(feedUrls: string[]): Promise<Map<string, PushState>>;
  /**
   * Writes the state over the version it was read at (`state.version`; absent: never stored) and
   * bumps it; false when another writer got there first (nothing written). Also makes the callback
   * id point at the feed.
   */
  putPushState(state: PushState): Promise<boolean>;
  /** Deletes the state (over its version; false when it moved on) and its callback id. */
  deletePushState(state: PushState): Promise<boolean>;
  /** The feed a callback id belongs to, if any. */
  pushFeedFor(callbackId: string): Promise<string | undefined>;
  /** Forgets a callback id that no subscription uses any more. */
  forgetPushCallback(callbackId: string): Promise<void>;
}
