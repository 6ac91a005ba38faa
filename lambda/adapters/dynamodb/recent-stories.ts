import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RECENT_STORY_DAYS, type RecentStory } from '../../core/domain/recent-story.ts';
import { fromItem, isLive, toItem } from './item-codec.ts';
import { recentStoryKey, recentStoryPk } from './keys.ts';
import { queryPages } from './query-all.ts';

// Recent stories on the single table (docs/table-layout.md, "Recent stories"): written once per new
// story by the poll side, read a week at a time by the alert preview of the api function.

const DAY_MS = 86_400_000;

/**
 * Sort keys are `<firstSeenAt>#<story>`; '$' is the character after '#', so `<iso>$` sorts after
 * every story first seen at `<iso>` and before any first seen later (ISO times of one format sort
 * as text). Both ends of the range are therefore exact in one BETWEEN.
 */
const PAST_SEPARATOR = '$';

export async function putRecentStory(doc: DynamoDBDocumentClient, tableName: string, story: RecentStory): Promise<void> {
  await doc.send(new PutCommand({ TableName: tableName, Item: toItem(recentStoryKey(story.firstSeenAt, story.key), 'RecentStory', story) }));
}

/**
 * Stories first seen after `after` and at or before `until`, no further back than RECENT_STORY_DAYS:
 * one Query (paged) per UTC day from the later of the two, oldest day first, so the result is in
 * order. Eventually consistent: the preview may miss a story written a moment ago.
 */
export async function recentStories(doc: DynamoDBDocumentClient, tableName: string, after: string, until: Date, nowSeconds: number): Promise<RecentStory[]> {
  const floor = new Date(until.getTime() - RECENT_STORY_DAYS * DAY_MS).toISOString();
  const from = after > floor ? after : floor;
  const through = until.toISOString();
  if (from >= through) return [];
  const found: RecentStory[] = [];
  const lastDay = Date.parse(`${through.slice(0, 10)}T00:00:00.000Z`);
  for (let day = Date.parse(`${from.slice(0, 10)}T00:00:00.000Z`); day <= lastDay; day += DAY_MS) {
    const input = {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :through',
      ExpressionAttributeValues: {
        ':pk': recentStoryPk(new Date(day).toISOString().slice(0, 10)),
        ':from': `${from}${PAST_SEPARATOR}`,
        ':through': `${through}${PAST_SEPARATOR}`,
      },
    };
    for await (const page of queryPages(doc, input)) {
      for (const item of page.items) if (isLive(item, nowSeconds)) found.push(fromItem<RecentStory>(item));
    }
  }
  return found;
}
