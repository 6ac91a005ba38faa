import { DeleteCommand, PutCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { PushState } from '../../core/domain/push-state.ts';
import type { PushStore } from '../../core/ports/push-store.ts';
import { batchGet } from './batch-get.ts';
import { applied } from './conditional.ts';
import { fromItem, toItem } from './item-codec.ts';
import { pushCallbackKey, pushStateKey } from './keys.ts';

/**
 * Feeds' WebSub subscriptions on the table (docs/table-layout.md): the state beside the feed's polled
 * state (`FEED#<url>` / `PUSH`, versioned like it), and one small item per callback id
 * (`PUSH#<id>` / `PUSH` → the feed URL), so a callback finds its feed with one GetItem.
 */
export class DynamoPushStates implements PushStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getPushStates(feedUrls: string[]): Promise<Map<string, PushState>> {
    const items = await batchGet(this.doc, this.tableName, feedUrls.map(pushStateKey));
    return new Map(items.map((item) => fromItem<PushState>(item)).map((state) => [state.feedUrl, state]));
  }

  async putPushState(state: PushState): Promise<boolean> {
    const { version: read, ...rest } = state;
    // The pointer first: a hub that verifies before our request even returns finds the feed.
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: toItem(pushCallbackKey(state.callbackId), 'PushCallback', { feedUrl: state.feedUrl }) }));
    return applied(
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(pushStateKey(state.feedUrl), 'PushState', { ...rest, version: (read ?? 0) + 1 }),
          ...(read === undefined
            ? { ConditionExpression: 'attribute_not_exists(version)' }
            : { ConditionExpression: 'version = :read', ExpressionAttributeValues: { ':read': read } }),
        }),
      ),
    );
  }

  async deletePushState(state: PushState): Promise<boolean> {
    const deleted = await applied(
      this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: pushStateKey(state.feedUrl),
          ConditionExpression: 'version = :read',
          ExpressionAttributeValues: { ':read': state.version ?? 0 },
        }),
      ),
    );
    if (deleted) await this.forgetPushCallback(state.callbackId);
    return deleted;
  }

  async pushFeedFor(callbackId: string): Promise<string | undefined> {
    const output = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: pushCallbackKey(callbackId), ConsistentRead: true }));
    const feedUrl = output.Item?.feedUrl;
    return typeof feedUrl === 'string' ? feedUrl : undefined;
  }

  async forgetPushCallback(callbackId: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: pushCallbackKey(callbackId) }));
  }
}
