import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Item } from './item-codec.ts';

/** Runs a Query to the end, following LastEvaluatedKey (each page holds at most 1 MB). */
export async function queryAll(doc: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const output = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...((output.Items ?? []) as Item[]));
    startKey = output.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}
