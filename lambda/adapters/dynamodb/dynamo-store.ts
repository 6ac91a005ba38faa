import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DeleteCommandInput,
  type PutCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { systemClock, type Clock } from '../../core/ports/clock.ts';
import type { Frequency } from '../../core/config/schema.ts';
import { carriesFrequency, type DigestRecord, scheduledClasses } from '../../core/domain/digest-record.ts';
import type { FeedState } from '../../core/domain/feed-state.ts';
import type { Hit } from '../../core/domain/hit.ts';
import type { LockAttempt, LockHolder, LockLease } from '../../core/domain/lock.ts';
import type { RecentStory } from '../../core/domain/recent-story.ts';
import { MAX_STORY_SOURCES, type StoryRecord } from '../../core/domain/story.ts';
import type { Subscriber } from '../../core/domain/subscriber.ts';
import type { StoredFeed } from '../../core/domain/stored-feed.ts';
import type { Suppression } from '../../core/domain/suppression.ts';
import type { Store } from '../../core/ports/store.ts';
import type { PushState } from '../../core/domain/push-state.ts';
import { DynamoPushStates } from './push-states.ts';
import { batchGet } from './batch-get.ts';
import { applied, isConditionalCheckFailed } from './conditional.ts';
import { epochSeconds, fromItem, isLive, toItem, type Item } from './item-codec.ts';
import * as keys from './keys.ts';
import { queryAll, queryPages, scanAll } from './query-all.ts';
import * as recent from './recent-stories.ts';
import { DUE_INDEX, DUE_INDEX_PARTITION_KEY, DUE_INDEX_SORT_KEY, DUE_SHARDS, PENDING_INDEX, PENDING_INDEX_SORT_KEY } from './table-definition.ts';
import { dueIndexKeys } from './keys.ts';

export interface DynamoStoreOptions {
  client: DynamoDBClient;
  tableName: string;
  /** The table has the due index (default true); without it dueFeeds scans the feed states. */
  dueIndex?: boolean;
  /** Decides what has expired (items past `expiresAt` are treated as absent). Default: system clock. */
  clock?: Clock;
}

type Condition = Pick<PutCommandInput, 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>;

const HIT_UPDATE_CONCURRENCY = 16;

/** Create-once condition; an item past its expiresAt (TTL not yet run) counts as absent. */
const ABSENT_OR_EXPIRED = 'attribute_not_exists(pk) OR expiresAt < :now';

/**
 * The Store port on one DynamoDB table (layout: docs/table-layout.md). Single-item conditional
 * writes only (dynalite has no transactions); every read drops items past `expiresAt`.
 */
export class DynamoStore implements Store {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly clock: Clock;
  private readonly dueIndex: boolean;
  private readonly pushes: DynamoPushStates;

  constructor(options: DynamoStoreOptions) {
    this.doc = DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.tableName = options.tableName;
    this.clock = options.clock ?? systemClock;
    this.dueIndex = options.dueIndex ?? true;
    this.pushes = new DynamoPushStates(this.doc, this.tableName);
  }

  // feeds

  async getFeedStates(feedUrls: string[]): Promise<Map<string, FeedState>> {
    const items = await batchGet(this.doc, this.tableName, feedUrls.map(keys.feedStateKey));
    return new Map(items.map(readFeedState).map((state) => [state.feedUrl, state]));
  }

  async putFeedState(state: FeedState): Promise<boolean> {
    const { version: read, ...rest } = state;
    const next = { ...rest, version: (read ?? 0) + 1 };
    const due = state.nextDueAt ? dueIndexKeys(state.feedUrl, state.nextDueAt, DUE_SHARDS) : {};
    return applied(
      this.put(
        toItem(keys.feedStateKey(state.feedUrl), 'FeedState', next, due),
        read === undefined
          ? { ConditionExpression: 'attribute_not_exists(version)' }
          : { ConditionExpression: 'version = :read', ExpressionAttributeValues: { ':read': read } },
      ),
    );
  }

  async dueFeeds(now: Date, limit: number): Promise<Array<{ feedUrl: string; dueAt: string }>> {
    const found: Array<{ feedUrl: string; dueAt: string }> = [];
    if (this.dueIndex) {
      const through = `${now.toISOString()}#\uffff`;
      for (let shard = 0; shard < DUE_SHARDS; shard += 1) {
        let fromShard = 0;
        const input = {
          TableName: this.tableName,
          IndexName: DUE_INDEX,
          KeyConditionExpression: '#pk = :pk AND #sk <= :through',
          ExpressionAttributeNames: { '#pk': DUE_INDEX_PARTITION_KEY, '#sk': DUE_INDEX_SORT_KEY },
          ExpressionAttributeValues: { ':pk': `DUE#${shard}`, ':through': through },
        };
        for await (const page of queryPages(this.doc, input, () => limit - fromShard)) {
          for (const item of page.items) found.push({ feedUrl: String(item.feedUrl), dueAt: String(item[DUE_INDEX_SORT_KEY]).split('#')[0] ?? '' });
          fromShard += page.items.length;
        }
      }
    } else {
      const items = await scanAll(this.doc, {
        TableName: this.tableName,
        FilterExpression: '#type = :type AND nextDueAt <= :now',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':type': 'FeedState', ':now': now.toISOString() },
      });
      for (const item of items) found.push({ feedUrl: String(item.feedUrl), dueAt: String(item.nextDueAt) });
    }
    return found.sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0)).slice(0, limit);
  }

  // WebSub subscriptions (push-states.ts)

  getPushStates = (feedUrls: string[]): Promise<Map<string, PushState>> => this.pushes.getPushStates(feedUrls);
  putPushState = (state: PushState): Promise<boolean> => this.pushes.putPushState(state);
  deletePushState = (state: PushState): Promise<boolean> => this.pushes.deletePushState(state);
  pushFeedFor = (callbackId: string): Promise<string | undefined> => this.pushes.pushFeedFor(callbackId);
  forgetPushCallback = (callbackId: string): Promise<void> => this.pushes.forgetPushCallback(callbackId);

  // feed registry

  async listStoredFeeds(): Promise<StoredFeed[]> {
    const items = await this.partition(keys.FEEDS_PK);
    return items.map((item) => fromItem<StoredFeed>(item));
  }

  async putStoredFeed(feed: StoredFeed): Promise<void> {
    await this.put(toItem(keys.storedFeedKey(feed.url), 'StoredFeed', feed));
  }

  // change counters

  async getVersion(name: string): Promise<number> {
    const item = await this.get(keys.versionKey(name));
    return Number(item?.count ?? 0);
  }

  async bumpVersion(name: string): Promise<number> {
    const output = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.versionKey(name),
        UpdateExpression: 'ADD #count :one SET #type = :type',
        ExpressionAttributeNames: { '#count': 'count', '#type': 'type' },
        ExpressionAttributeValues: { ':one': 1, ':type': 'Version' },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(output.Attributes?.count ?? 1);
  }

  // stories

  async recordStory(story: StoryRecord): Promise<{ created: boolean; record: StoryRecord }> {
    const key = keys.storyKey(story.key);
    if (await applied(this.put(toItem(key, 'Story', story), this.absentOrExpired()))) {
      return { created: true, record: story };
    }
    const source = story.sources[0];
    const appended = source === undefined ? undefined : await this.appendSource(key, source);
    if (appended !== undefined) return { created: false, record: appended };
    const stored = await this.get(key);
    if (stored === undefined) throw new Error(`story ${story.key} vanished while being recorded`);
    return { created: false, record: fromItem<StoryRecord>(stored) };
  }

  /** Adds a source to a stored story; undefined when the story already lists it (or is gone). */
  private async appendSource(key: keys.ItemKey, source: string): Promise<StoryRecord | undefined> {
    try {
      // A list keeps the first source first; the condition keeps each source once.
      const output = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET sources = list_append(sources, :added)',
          ConditionExpression: 'attribute_exists(pk) AND NOT contains(sources, :source) AND size(sources) < :max',
          ExpressionAttributeValues: { ':added': [source], ':source': source, ':max': MAX_STORY_SOURCES },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem<StoryRecord>(output.Attributes as Item);
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  async getStories(storyKeys: string[]): Promise<Map<string, StoryRecord>> {
    const now = this.nowSeconds();
    const items = await batchGet(this.doc, this.tableName, storyKeys.map(keys.storyKey));
    const live = items.filter((item) => isLive(item, now)).map((item) => fromItem<StoryRecord>(item));
    return new Map(live.map((story) => [story.key, story]));
  }

  // recent stories (recent-stories.ts)

  putRecentStory(story: RecentStory): Promise<void> {
    return recent.putRecentStory(this.doc, this.tableName, story);
  }

  recentStories(after: string, until: Date): Promise<RecentStory[]> {
    return recent.recentStories(this.doc, this.tableName, after, until, this.nowSeconds());
  }

  // hits

  async putHit(hit: Hit): Promise<boolean> {
    // Only a pending hit carries the index key, so only pending hits are in the pending index.
    const pending = hit.status === 'pending' ? { [PENDING_INDEX_SORT_KEY]: keys.pendingSortKey(hit.createdAt, hit.storyKey) } : {};
    const item = toItem(keys.hitKey(hit.subscriberId, hit.storyKey), 'Hit', hit, pending);
    return applied(this.put(item, this.absentOrExpired()));
  }

  async pendingHits(subscriberId: string, limit = Number.POSITIVE_INFINITY, accept?: (hit: Hit) => boolean): Promise<Hit[]> {
    const found = new Map<string, Hit>();
    const pageLimit = () => (Number.isFinite(limit) ? Math.max(0, limit - found.size) : undefined);
    for await (const page of queryPages(this.doc, this.pendingQuery(subscriberId), pageLimit)) {
      // The index entry is only a pointer: the embedded engine writes it before the record, so a
      // crash between the two leaves an entry with no (or a sent) record behind it. The record decides.
      const records = await batchGet(this.doc, this.tableName, page.items.map((entry) => ({ pk: String(entry.pk), sk: String(entry.sk) })));
      const live = new Map(records.filter((r) => isLive(r, this.nowSeconds()) && r.status === 'pending').map((r) => [String(r.sk), r]));
      for (const entry of page.items) {
        const record = live.get(String(entry.sk));
        if (record === undefined || found.size >= limit) continue;
        const hit = fromItem<Hit>(record);
        if (accept && !accept(hit)) continue;
        found.set(hit.storyKey, hit);
      }
    }
    return [...found.values()];
  }

  async countPendingHits(subscriberId: string): Promise<number> {
    let count = 0;
    for await (const page of queryPages(this.doc, { ...this.pendingQuery(subscriberId), Select: 'COUNT' })) count += page.count;
    return count;
  }

  private pendingQuery(subscriberId: string) {
    return {
      TableName: this.tableName,
      IndexName: PENDING_INDEX,
      ConsistentRead: true,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.subscriberPk(subscriberId) },
    };
  }

  async getHits(subscriberId: string, storyKeys: string[]): Promise<Hit[]> {
    const items = await batchGet(this.doc, this.tableName, storyKeys.map((key) => keys.hitKey(subscriberId, key)));
    const now = this.nowSeconds();
    return items.filter((item) => isLive(item, now)).map((item) => fromItem<Hit>(item));
  }

  async markHitsSent(subscriberId: string, storyKeys: string[], digestId: string): Promise<void> {
    const queue = [...new Set(storyKeys)];
    const worker = async () => {
      for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
        // attribute_exists: a hit that is gone (expired, deleted) is not recreated as a phantom.
        await applied(
          this.doc.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: keys.hitKey(subscriberId, key),
              UpdateExpression: `SET #status = :sent, digestId = :digestId REMOVE ${PENDING_INDEX_SORT_KEY}`,
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':sent': 'sent', ':digestId': digestId },
            }),
          ),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(HIT_UPDATE_CONCURRENCY, queue.length) }, worker));
  }

  // digest ledger

  async claimDigest(record: DigestRecord): Promise<boolean> {
    const item = toItem(keys.digestKey(record.subscriberId, record.digestId), 'Digest', record);
    return applied(this.put(item, this.absentOrExpired()));
  }

  async getDigest(subscriberId: string, digestId: string): Promise<DigestRecord | undefined> {
    const item = await this.get(keys.digestKey(subscriberId, digestId));
    return isLive(item, this.nowSeconds()) ? fromItem<DigestRecord>(item) : undefined;
  }

  async markDigestAttempted(subscriberId: string, digestId: string, owner: string, at: string): Promise<boolean> {
    return applied(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.digestKey(subscriberId, digestId),
          UpdateExpression: 'SET #state = :sending, attemptedAt = :at',
          ConditionExpression: '#state = :claimed AND #owner = :owner',
          ExpressionAttributeNames: { '#state': 'state', '#owner': 'owner' },
          ExpressionAttributeValues: { ':sending': 'sending', ':claimed': 'claimed', ':owner': owner, ':at': at },
        }),
      ),
    );
  }

  async takeOverDigest(subscriberId: string, digestId: string, fromOwner: string | undefined, owner: string): Promise<boolean> {
    const condition =
      fromOwner === undefined
        ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#owner)', ExpressionAttributeValues: { ':owner': owner } }
        : { ConditionExpression: '#owner = :from', ExpressionAttributeValues: { ':owner': owner, ':from': fromOwner } };
    return applied(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.digestKey(subscriberId, digestId),
          UpdateExpression: 'SET #owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ...condition,
        }),
      ),
    );
  }

  async recordSentDigest(record: DigestRecord): Promise<void> {
    const sent: DigestRecord = { ...record, state: 'sent' };
    await this.put(toItem(keys.digestKey(sent.subscriberId, sent.digestId), 'Digest', sent));
    // Only ever moves forward, so a late completion of an older digest cannot hide a newer one.
    const copies = [keys.lastDigestKey(sent.subscriberId), ...scheduledClasses(sent).map((c) => keys.lastDigestOfClassKey(sent.subscriberId, c))];
    for (const key of copies) {
      await applied(
        this.put(toItem(key, 'LastDigest', sent), {
          ConditionExpression: 'attribute_not_exists(pk) OR sentAt <= :sentAt',
          ExpressionAttributeValues: { ':sentAt': sent.sentAt ?? sent.claimedAt },
        }),
      );
    }
  }

  async releaseDigest(subscriberId: string, digestId: string): Promise<void> {
    // A sent digest is never released: that would let its hits go out twice.
    await applied(
      this.delete(keys.digestKey(subscriberId, digestId), {
        ConditionExpression: '#state <> :sent',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':sent': 'sent' },
      }),
    );
  }

  async lastSentDigest(subscriberId: string, frequency?: Frequency): Promise<DigestRecord | undefined> {
    if (frequency) {
      const item = await this.get(keys.lastDigestOfClassKey(subscriberId, frequency));
      if (isLive(item, this.nowSeconds())) return fromItem<DigestRecord>(item);
    }
    const item = await this.get(keys.lastDigestKey(subscriberId));
    const last = isLive(item, this.nowSeconds()) ? fromItem<DigestRecord>(item) : undefined;
    return last && (!frequency || carriesFrequency(last, frequency)) ? last : undefined;
  }

  // subscribers

  async listSubscribers(): Promise<Subscriber[]> {
    const items = await this.partition(keys.SUBSCRIBERS_PK);
    return items.map((item) => fromItem<Subscriber>(item));
  }

  async getSubscriber(id: string): Promise<Subscriber | undefined> {
    const item = await this.get(keys.subscriberKey(id));
    return item === undefined ? undefined : fromItem<Subscriber>(item);
  }

  async putSubscriber(subscriber: Subscriber): Promise<void> {
    await this.put(toItem(keys.subscriberKey(subscriber.id), 'Subscriber', subscriber));
  }

  async deleteSubscriber(id: string): Promise<void> {
    await this.delete(keys.subscriberKey(id));
  }

  // suppressions

  async suppress(suppression: Suppression): Promise<void> {
    await this.put(toItem(keys.suppressionKey(suppression.subscriberId), 'Suppression', suppression));
  }

  async getSuppression(subscriberId: string): Promise<Suppression | undefined> {
    const item = await this.get(keys.suppressionKey(subscriberId));
    return item === undefined ? undefined : fromItem<Suppression>(item);
  }

  async listSuppressions(): Promise<Map<string, Suppression>> {
    const items = await this.partition(keys.SUPPRESSIONS_PK);
    return new Map(items.map((item) => fromItem<Suppression>(item)).map((s) => [s.subscriberId, s]));
  }

  // subscription API: rate limits and single-use links

  async incrementCounter(key: string, windowStart: number, ttlSeconds: number): Promise<number> {
    const output = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.counterKey(key, windowStart),
        // ADD is atomic: concurrent requests each see their own count.
        UpdateExpression: 'ADD #count :one SET expiresAt = if_not_exists(expiresAt, :expiresAt), #type = :type',
        ExpressionAttributeNames: { '#count': 'count', '#type': 'type' },
        ExpressionAttributeValues: { ':one': 1, ':expiresAt': windowStart + ttlSeconds, ':type': 'Counter' },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(output.Attributes?.count ?? 1);
  }

  async consumeNonce(nonce: string, expiresAt: number): Promise<boolean> {
    return applied(this.put(toItem(keys.nonceKey(nonce), 'Nonce', { expiresAt }), this.absentOrExpired()));
  }

  // cycle lock

  async acquireLock(name: string, owner: string, now: Date, ttlSeconds: number, holder?: LockHolder): Promise<LockAttempt> {
    try {
      const output = await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(keys.lockKey(name), 'Lock', lease(name, owner, now, ttlSeconds, holder)),
          ConditionExpression: `${ABSENT_OR_EXPIRED} OR #owner = :owner`,
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': epochSeconds(now), ':owner': owner },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const old = output.Attributes as Item | undefined;
      const previous = old === undefined ? undefined : fromItem<LockLease>(old);
      return previous && previous.owner !== owner ? { acquired: true, replaced: previous } : { acquired: true };
    } catch (error) {
      if (isConditionalCheckFailed(error)) return { acquired: false };
      throw error;
    }
  }

  async getLock(name: string): Promise<LockLease | undefined> {
    const item = await this.get(keys.lockKey(name));
    return item === undefined ? undefined : fromItem<LockLease>(item);
  }

  async takeOverLock(name: string, staleOwner: string, owner: string, now: Date, ttlSeconds: number, holder?: LockHolder): Promise<boolean> {
    return applied(
      this.put(toItem(keys.lockKey(name), 'Lock', lease(name, owner, now, ttlSeconds, holder)), {
        ConditionExpression: '#owner = :stale',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':stale': staleOwner },
      }),
    );
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    // Not ours (it expired and someone else took it) or already gone: nothing to release.
    await applied(
      this.delete(keys.lockKey(name), {
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': owner },
      }),
    );
  }

  // helpers

  /** Every item of one partition (subscribers, suppressions, added feeds): one strongly consistent Query. */
  private partition(pk: string): Promise<Item[]> {
    return queryAll(this.doc, { TableName: this.tableName, ConsistentRead: true, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } });
  }

  private nowSeconds(): number {
    return epochSeconds(this.clock.now());
  }

  private absentOrExpired(): Condition {
    return { ConditionExpression: ABSENT_OR_EXPIRED, ExpressionAttributeValues: { ':now': this.nowSeconds() } };
  }

  private async get(key: keys.ItemKey): Promise<Item | undefined> {
    const output = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return output.Item as Item | undefined;
  }

  private async put(item: Item, condition: Condition = {}): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: item, ...condition }));
  }

  private async delete(key: keys.ItemKey, condition: Pick<DeleteCommandInput, keyof Condition> = {}): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: key, ...condition }));
  }
}

function lease(name: string, owner: string, now: Date, ttlSeconds: number, holder: LockHolder | undefined): LockLease {
  return { name, owner, acquiredAt: now.toISOString(), expiresAt: epochSeconds(now) + ttlSeconds, ...(holder ? { holder } : {}) };
}

/** A stored feed state; one written before key hashes (its `recentKeys` list) reads as having none. */
function readFeedState(item: Item): FeedState {
  const { recentKeys: _legacy, ...state } = fromItem<FeedState & { recentKeys?: unknown }>(item);
  return { ...state, recentKeyHashes: state.recentKeyHashes ?? [] };
}
