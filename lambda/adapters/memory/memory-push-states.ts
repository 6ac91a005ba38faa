import type { PushState } from '../../core/domain/push-state.ts';
import type { PushStore } from '../../core/ports/push-store.ts';

/** Feeds' WebSub subscriptions in memory, with the DynamoDB store's versioned writes (push-states.ts there). */
export class MemoryPushStates implements PushStore {
  private readonly states = new Map<string, PushState>();
  private readonly callbacks = new Map<string, string>();

  async getPushStates(feedUrls: string[]): Promise<Map<string, PushState>> {
    const found = new Map<string, PushState>();
    for (const url of feedUrls) {
      const state = this.states.get(url);
      if (state) found.set(url, structuredClone(state));
    }
    return found;
  }

  async putPushState(state: PushState): Promise<boolean> {
    this.callbacks.set(state.callbackId, state.feedUrl);
    if (this.states.get(state.feedUrl)?.version !== state.version) return false;
    this.states.set(state.feedUrl, { ...structuredClone(state), version: (state.version ?? 0) + 1 });
    return true;
  }

  async deletePushState(state: PushState): Promise<boolean> {
    const stored = this.states.get(state.feedUrl);
    if (stored === undefined || stored.version !== state.version) return false;
    this.states.delete(state.feedUrl);
    this.callbacks.delete(state.callbackId);
    return true;
  }

  async pushFeedFor(callbackId: string): Promise<string | undefined> {
    return this.callbacks.get(callbackId);
  }

  async forgetPushCallback(callbackId: string): Promise<void> {
    this.callbacks.delete(callbackId);
  }
}
