import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { systemClock, type Clock } from '../../core/ports/clock.ts';
import type { DigestRecord, FeedState, Hit, Store, StoryRecord, Subscriber } from '../../core/ports/store.ts';
import { batchGet } from './batch-get.ts';
import { isConditionalCheckFailed } from './conditional.ts';
import { epochSeconds, fromItem, isLive, toItem, type Item } from './item-codec.ts';
import * as keys from './keys.ts';
import { queryAll } from './query-all.ts';
import { PENDING_INDEX, PENDING_INDEX_SORT_KEY } from './table-definition.ts';

export interface DynamoStoreOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Decides what has expired (items past `expiresAt` are treated as absent). Default: system clock. */
  clock?: Clock;
}

const HIT_UPDATE_CONCURRENCY = 16;

/**
 * The Store port on one DynamoDB table (layout: docs/table-layout.md). Single-item conditional
 * writes only (dynalite has no transactions); every read drops items past `expiresAt`.
 */
export class DynamoStore implements Store {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly clock: Clock;

  constructor(options: DynamoStoreOptions) {
    this.doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.tableName = options.tableName;
    this.clock = options.clock ?? systemClock;
  }

  // feeds

  async getFeedStates(feedUrls: string[]): Promise<Map<string, FeedState>> {
    const items = await batchGet(this.doc, this.tableName, feedUrls.map(keys.feedStateKey));
    return new Map(items.map((item) => fromItem<FeedState>(item)).map((state) => [state.feedUrl, state]));
  }

  async putFeedState(state: FeedState): Promise<void> {
    await this.put(toItem(keys.feedStateKey(state.feedUrl), 'FeedState', state));
  }

  // stories

  async recordStory(story: StoryRecord): Promise<{ created: boolean; record: StoryRecord }> {
    const key = keys.storyKey(story.key);
    try {
      await this.put(toItem(key, 'Story', story), {
        // An expired story still waiting for TTL counts as absent: it is seen anew.
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': this.nowSeconds() },
      });
      return { created: true, record: story };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const source = story.sources[0];
    if (source !== undefined) {
      try {
        // A list keeps the first source first; the condition keeps each source once.
        const output = await this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'SET sources = list_append(sources, :added)',
            ConditionExpression: 'attribute_exists(pk) AND NOT contains(sources, :source)',
            ExpressionAttributeValues: { ':added': [source], ':source': source },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return { created: false, record: fromItem<StoryRecord>(output.Attributes as Item) };
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }
    const stored = await this.get(key);
    if (stored === undefined) throw new Error(`story ${story.key} vanished while being recorded`);
    return { created: false, record: fromItem<StoryRecord>(stored) };
  }

  async getStories(storyKeys: string[]): Promise<Map<string, StoryRecord>> {
    const now = this.nowSeconds();
    const items = await batchGet(this.doc, this.tableName, storyKeys.map(keys.storyKey));
    const live = items.filter((item) => isLive(item, now)).map((item) => fromItem<StoryRecord>(item));
    return new Map(live.map((story) => [story.key, story]));
  }

  // hits

  async putHit(hit: Hit): Promise<boolean> {
    const pending = hit.status === 'pending' ? { [PENDING_INDEX_SORT_KEY]: keys.pendingSortKey(hit.createdAt, hit.storyKey) } : {};
    try {
      await this.put(toItem(keys.hitKey(hit.subscriberId, hit.storyKey), 'Hit', hit, pending), {
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': this.nowSeconds() },
      });
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async pendingHits(subscriberId: string): Promise<Hit[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      IndexName: PENDING_INDEX,
      ConsistentRead: true,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.subscriberPk(subscriberId) },
    });
    const now = this.nowSeconds();
    return items.filter((item) => isLive(item, now)).map((item) => fromItem<Hit>(item));
  }

  async markHitsSent(subscriberId: string, storyKeys: string[], digestId: string): Promise<void> {
    const queue = [...new Set(storyKeys)];
    const worker = async () => {
      for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
        await this.markHitSent(subscriberId, key, digestId);
      }
    };
    await Promise.all(Array.from({ length: Math.min(HIT_UPDATE_CONCURRENCY, queue.length) }, worker));
  }

  private async markHitSent(subscriberId: string, storyKey: string, digestId: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.hitKey(subscriberId, storyKey),
          // Dropping the index key takes the hit out of the pending index.
          UpdateExpression: `SET #status = :sent, digestId = :digestId REMOVE ${PENDING_INDEX_SORT_KEY}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sent': 'sent', ':digestId': digestId },
        }),
      );
    } catch (error) {
      // A hit that is gone (expired and deleted) has nothing left to mark: no phantom item.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  // digest ledger

  async claimDigest(record: DigestRecord): Promise<boolean> {
    try {
      await this.put(toItem(keys.digestKey(record.subscriberId, record.digestId), 'Digest', record), {
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': this.nowSeconds() },
      });
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async getDigest(subscriberId: string, digestId: string): Promise<DigestRecord | undefined> {
    const item = await this.get(keys.digestKey(subscriberId, digestId));
    return isLive(item, this.nowSeconds()) ? fromItem<DigestRecord>(item) : undefined;
  }

  async completeDigest(subscriberId: string, digestId: string, messageId: string, sentAt: string): Promise<void> {
    const output = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.digestKey(subscriberId, digestId),
        UpdateExpression: 'SET #state = :sent, messageId = :messageId, sentAt = :sentAt',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':sent': 'sent', ':messageId': messageId, ':sentAt': sentAt },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const record = fromItem<DigestRecord>(output.Attributes as Item);
    try {
      // Only ever moves forward, so a late completion of an older digest cannot hide a newer one.
      await this.put(toItem(keys.lastDigestKey(subscriberId), 'LastDigest', record), {
        ConditionExpression: 'attribute_not_exists(pk) OR sentAt <= :sentAt',
        ExpressionAttributeValues: { ':sentAt': sentAt },
      });
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async releaseDigest(subscriberId: string, digestId: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.digestKey(subscriberId, digestId),
          // A sent digest is never released: that would let its hits go out twice.
          ConditionExpression: '#state = :sending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sending': 'sending' },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async lastSentDigest(subscriberId: string): Promise<DigestRecord | undefined> {
    const item = await this.get(keys.lastDigestKey(subscriberId));
    return isLive(item, this.nowSeconds()) ? fromItem<DigestRecord>(item) : undefined;
  }

  // subscribers

  async listSubscribers(): Promise<Subscriber[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      ConsistentRead: true,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.SUBSCRIBERS_PK },
    });
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
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: keys.subscriberKey(id) }));
  }

  // subscription API (added by the subscriptions engineer)

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
    try {
      await this.put(toItem(keys.nonceKey(nonce), 'Nonce', { expiresAt }), {
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': this.nowSeconds() },
      });
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  // cycle lock

  async acquireLock(name: string, owner: string, now: Date, ttlSeconds: number): Promise<boolean> {
    const nowSeconds = epochSeconds(now);
    try {
      await this.put(
        toItem(keys.lockKey(name), 'Lock', { name, owner, acquiredAt: now.toISOString(), expiresAt: nowSeconds + ttlSeconds }),
        {
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR #owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': nowSeconds, ':owner': owner },
        },
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.lockKey(name),
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch (error) {
      // Not ours (it expired and someone else took it) or already gone: nothing to release.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  // helpers

  private nowSeconds(): number {
    return epochSeconds(this.clock.now());
  }

  private async get(key: keys.ItemKey): Promise<Item | undefined> {
    const output = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return output.Item as Item | undefined;
  }

  private async put(
    item: Item,
    condition: {
      ConditionExpression?: string;
      ExpressionAttributeNames?: Record<string, string>;
      ExpressionAttributeValues?: Record<string, unknown>;
    } = {},
  ): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: item, ...condition }));
  }
}
