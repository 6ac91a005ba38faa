import type { Frequency } from '../../core/config/schema.ts';
import { carriesFrequency, type DigestRecord, scheduledClasses } from '../../core/domain/digest-record.ts';
import type { FeedState } from '../../core/domain/feed-state.ts';
import type { Hit } from '../../core/domain/hit.ts';
import type { LockAttempt, LockHolder, LockLease } from '../../core/domain/lock.ts';
import { RECENT_STORY_DAYS, type RecentStory } from '../../core/domain/recent-story.ts';
import { MAX_STORY_SOURCES, type StoryRecord } from '../../core/domain/story.ts';
import type { Subscriber } from '../../core/domain/subscriber.ts';
import type { StoredFeed } from '../../core/domain/stored-feed.ts';
import type { Suppression } from '../../core/domain/suppression.ts';
import { systemClock, type Clock } from '../../core/ports/clock.ts';
import type { Store } from '../../core/ports/store.ts';
import type { PushState } from '../../core/domain/push-state.ts';
import { MemoryPushStates } from './memory-push-states.ts';

/**
 * The Store ports in memory, for tests of the services that need no engine. It keeps the rules the
 * DynamoDB store keeps (the same contract suite checks both): conditional "create once" writes, items
 * past `expiresAt` treated as absent, pending hits oldest first, a sent digest never released. What
 * it cannot show is what only a real engine does: request counts, item size limits, crashes between
 * an index write and its record.
 */
export class MemoryStore implements Store {
  private readonly feeds = new Map<string, FeedState>();
  private readonly stories = new Map<string, StoryRecord>();
  private readonly hits = new Map<string, Hit>();
  private readonly digests = new Map<string, DigestRecord>();
  private readonly lastDigests = new Map<string, DigestRecord>();
  private readonly subscribers = new Map<string, Subscriber>();
  private readonly suppressions = new Map<string, Suppression>();
  private readonly counters = new Map<string, { count: number; expiresAt: number }>();
  private readonly nonces = new Map<string, number>();
  private readonly locks = new Map<string, LockLease>();
  private readonly storedFeeds = new Map<string, StoredFeed>();
  private readonly versions = new Map<string, number>();
  private readonly recent = new Map<string, RecentStory>();

  private readonly pushes = new MemoryPushStates();

  constructor(private readonly clock: Clock = systemClock) {}

  // feeds and stories

  async getFeedStates(feedUrls: string[]): Promise<Map<string, FeedState>> {
    const found = new Map<string, FeedState>();
    for (const url of feedUrls) {
      const state = this.feeds.get(url);
      if (state) found.set(url, copy(state));
    }
    return found;
  }

  async putFeedState(state: FeedState): Promise<boolean> {
    if (this.feeds.get(state.feedUrl)?.version !== state.version) return false;
    this.feeds.set(state.feedUrl, { ...copy(state), version: (state.version ?? 0) + 1 });
    return true;
  }

  async dueFeeds(now: Date, limit: number): Promise<Array<{ feedUrl: string; dueAt: string }>> {
    return [...this.feeds.values()]
      .filter((state) => state.nextDueAt !== undefined && state.nextDueAt <= now.toISOString())
      .map((state) => ({ feedUrl: state.feedUrl, dueAt: state.nextDueAt ?? '' }))
      .sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0))
      .slice(0, limit);
  }

  // WebSub subscriptions (memory-push-states.ts)

  getPushStates = (feedUrls: string[]): Promise<Map<string, PushState>> => this.pushes.getPushStates(feedUrls);
  putPushState = (state: PushState): Promise<boolean> => this.pushes.putPushState(state);
  deletePushState = (state: PushState): Promise<boolean> => this.pushes.deletePushState(state);
  pushFeedFor = (callbackId: string): Promise<string | undefined> => this.pushes.pushFeedFor(callbackId);
  forgetPushCallback = (callbackId: string): Promise<void> => this.pushes.forgetPushCallback(callbackId);

  // feed registry and change counters

  async listStoredFeeds(): Promise<StoredFeed[]> {
    return [...this.storedFeeds.values()].map(copy);
  }

  async putStoredFeed(feed: StoredFeed): Promise<void> {
    this.storedFeeds.set(feed.url, copy(feed));
  }

  async getVersion(name: string): Promise<number> {
    return this.versions.get(name) ?? 0;
  }

  async bumpVersion(name: string): Promise<number> {
    const next = (this.versions.get(name) ?? 0) + 1;
    this.versions.set(name, next);
    return next;
  }

  async recordStory(story: StoryRecord): Promise<{ created: boolean; record: StoryRecord }> {
    const stored = this.live(this.stories.get(story.key));
    if (!stored) {
      this.stories.set(story.key, copy(story));
      return { created: true, record: copy(story) };
    }
    const source = story.sources[0];
    if (source !== undefined && !stored.sources.includes(source) && stored.sources.length < MAX_STORY_SOURCES) stored.sources.push(source);
    return { created: false, record: copy(stored) };
  }

  async getStories(keys: string[]): Promise<Map<string, StoryRecord>> {
    const found = new Map<string, StoryRecord>();
    for (const key of keys) {
      const story = this.live(this.stories.get(key));
      if (story) found.set(key, copy(story));
    }
    return found;
  }

  // recent stories (the alert preview's; docs/table-layout.md)

  async putRecentStory(story: RecentStory): Promise<void> {
    this.recent.set(pair(story.firstSeenAt, story.key), copy(story));
  }

  async recentStories(after: string, until: Date): Promise<RecentStory[]> {
    // The same window the DynamoDB store queries: never more than RECENT_STORY_DAYS back from `until`.
    const floor = new Date(until.getTime() - RECENT_STORY_DAYS * 86_400_000).toISOString();
    const from = after > floor ? after : floor;
    const through = until.toISOString();
    return [...this.recent.values()]
      .filter((story) => story.firstSeenAt > from && story.firstSeenAt <= through && this.live(story))
      .sort((a, b) => (a.firstSeenAt === b.firstSeenAt ? (a.key < b.key ? -1 : 1) : a.firstSeenAt < b.firstSeenAt ? -1 : 1))
      .map(copy);
  }

  // hits and the digest ledger

  async putHit(hit: Hit): Promise<boolean> {
    const key = pair(hit.subscriberId, hit.storyKey);
    if (this.live(this.hits.get(key))) return false;
    this.hits.set(key, copy(hit));
    return true;
  }

  async pendingHits(subscriberId: string, limit = Number.POSITIVE_INFINITY, accept?: (hit: Hit) => boolean): Promise<Hit[]> {
    return this.pending(subscriberId)
      .filter((hit) => !accept || accept(copy(hit)))
      .slice(0, limit)
      .map(copy);
  }

  async countPendingHits(subscriberId: string): Promise<number> {
    return this.pending(subscriberId).length;
  }

  async getHits(subscriberId: string, storyKeys: string[]): Promise<Hit[]> {
    return [...new Set(storyKeys)].flatMap((key) => {
      const hit = this.live(this.hits.get(pair(subscriberId, key)));
      return hit ? [copy(hit)] : [];
    });
  }

  async markHitsSent(subscriberId: string, storyKeys: string[], digestId: string): Promise<void> {
    for (const key of storyKeys) {
      const hit = this.hits.get(pair(subscriberId, key));
      if (hit) Object.assign(hit, { status: 'sent', digestId });
    }
  }

  async claimDigest(record: DigestRecord): Promise<boolean> {
    const key = pair(record.subscriberId, record.digestId);
    if (this.live(this.digests.get(key))) return false;
    this.digests.set(key, copy(record));
    return true;
  }

  async getDigest(subscriberId: string, digestId: string): Promise<DigestRecord | undefined> {
    const record = this.live(this.digests.get(pair(subscriberId, digestId)));
    return record && copy(record);
  }

  async markDigestAttempted(subscriberId: string, digestId: string, owner: string, at: string): Promise<boolean> {
    const record = this.digests.get(pair(subscriberId, digestId));
    if (record?.state !== 'claimed' || record.owner !== owner) return false;
    Object.assign(record, { state: 'sending', attemptedAt: at });
    return true;
  }

  async takeOverDigest(subscriberId: string, digestId: string, fromOwner: string | undefined, owner: string): Promise<boolean> {
    const record = this.digests.get(pair(subscriberId, digestId));
    if (!record || record.owner !== fromOwner) return false;
    record.owner = owner;
    return true;
  }

  async recordSentDigest(record: DigestRecord): Promise<void> {
    const sent: DigestRecord = { ...copy(record), state: 'sent' };
    this.digests.set(pair(sent.subscriberId, sent.digestId), sent);
    const at = sent.sentAt ?? sent.claimedAt;
    // The newest of all under the subscriber's id, and the newest of each hourly/daily class it carried.
    for (const key of [sent.subscriberId, ...scheduledClasses(sent).map((c) => pair(sent.subscriberId, c))]) {
      const last = this.lastDigests.get(key);
      if (!last || (last.sentAt ?? last.claimedAt) <= at) this.lastDigests.set(key, copy(sent));
    }
  }

  async releaseDigest(subscriberId: string, digestId: string): Promise<void> {
    const key = pair(subscriberId, digestId);
    if (this.digests.get(key)?.state !== 'sent') this.digests.delete(key);
  }

  async lastSentDigest(subscriberId: string, frequency?: Frequency): Promise<DigestRecord | undefined> {
    const ofClass = frequency && this.live(this.lastDigests.get(pair(subscriberId, frequency)));
    if (ofClass) return copy(ofClass);
    const record = this.live(this.lastDigests.get(subscriberId));
    return record && (!frequency || carriesFrequency(record, frequency)) ? copy(record) : undefined;
  }

  // subscribers and suppressions

  async listSubscribers(): Promise<Subscriber[]> {
    return [...this.subscribers.values()].map(copy);
  }

  async getSubscriber(id: string): Promise<Subscriber | undefined> {
    const subscriber = this.subscribers.get(id);
    return subscriber && copy(subscriber);
  }

  async putSubscriber(subscriber: Subscriber): Promise<void> {
    this.subscribers.set(subscriber.id, copy(subscriber));
  }

  async deleteSubscriber(id: string): Promise<void> {
    this.subscribers.delete(id);
  }

  async suppress(suppression: Suppression): Promise<void> {
    this.suppressions.set(suppression.subscriberId, copy(suppression));
  }

  async getSuppression(subscriberId: string): Promise<Suppression | undefined> {
    const suppression = this.suppressions.get(subscriberId);
    return suppression && copy(suppression);
  }

  async listSuppressions(): Promise<Map<string, Suppression>> {
    return new Map([...this.suppressions].map(([id, s]) => [id, copy(s)]));
  }

  // abuse counters

  async incrementCounter(key: string, windowStart: number, ttlSeconds: number): Promise<number> {
    const id = pair(key, String(windowStart));
    const counter = this.counters.get(id) ?? { count: 0, expiresAt: windowStart + ttlSeconds };
    counter.count += 1;
    this.counters.set(id, counter);
    return counter.count;
  }

  async consumeNonce(nonce: string, expiresAt: number): Promise<boolean> {
    const stored = this.nonces.get(nonce);
    if (stored !== undefined && stored >= this.nowSeconds()) return false;
    this.nonces.set(nonce, expiresAt);
    return true;
  }

  // locks

  async acquireLock(name: string, owner: string, now: Date, ttlSeconds: number, holder?: LockHolder): Promise<LockAttempt> {
    const current = this.locks.get(name);
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (current && current.owner !== owner && current.expiresAt >= nowSeconds) return { acquired: false };
    this.locks.set(name, lease(name, owner, now, ttlSeconds, holder));
    return current && current.owner !== owner ? { acquired: true, replaced: copy(current) } : { acquired: true };
  }

  async getLock(name: string): Promise<LockLease | undefined> {
    const current = this.locks.get(name);
    return current && copy(current);
  }

  async takeOverLock(name: string, staleOwner: string, owner: string, now: Date, ttlSeconds: number, holder?: LockHolder): Promise<boolean> {
    if (this.locks.get(name)?.owner !== staleOwner) return false;
    this.locks.set(name, lease(name, owner, now, ttlSeconds, holder));
    return true;
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    if (this.locks.get(name)?.owner === owner) this.locks.delete(name);
  }

  // helpers

  private pending(subscriberId: string): Hit[] {
    return [...this.hits.values()]
      .filter((hit) => hit.subscriberId === subscriberId && hit.status === 'pending' && this.live(hit))
      .sort((a, b) => (a.createdAt === b.createdAt ? (a.storyKey < b.storyKey ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1));
  }

  private live<T extends { expiresAt?: number }>(item: T | undefined): T | undefined {
    return item && (item.expiresAt === undefined || item.expiresAt >= this.nowSeconds()) ? item : undefined;
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }
}

const pair = (a: string, b: string) => `${a}\u0000${b}`;

/** Stored values never share objects with callers, as with a real store. */
function copy<T>(value: T): T {
  return structuredClone(value);
}

function lease(name: string, owner: string, now: Date, ttlSeconds: number, holder: LockHolder | undefined): LockLease {
  return { name, owner, acquiredAt: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + ttlSeconds, ...(holder ? { holder } : {}) };
}
