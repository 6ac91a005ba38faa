import { QueryCommand, ScanCommand, type DynamoDBDocumentClient, type QueryCommandInput, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Item } from './item-codec.ts';

/**
 * The pages of a Query, following LastEvaluatedKey (each page holds at most 1 MB). `pageLimit` is
 * asked before each page: a number sets that page's Limit; 0 stops (the caller has enough).
 */
export async function* queryPages(
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
  pageLimit: () => number | undefined = () => undefined,
): AsyncGenerator<{ items: Item[]; count: number }> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const limit = pageLimit();
    if (limit === 0) return;
    const output = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey, ...(limit === undefined ? {} : { Limit: limit }) }));
    yield { items: (output.Items ?? []) as Item[], count: output.Count ?? 0 };
    startKey = output.LastEvaluatedKey;
  } while (startKey !== undefined);
}

/** Runs a Query to the end. */
export async function queryAll(doc: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of queryPages(doc, input)) items.push(...page.items);
  return items;
}

/** Runs a Scan to the end (only where a table is small: see dueFeeds). */
export async function scanAll(doc: DynamoDBDocumentClient, input: ScanCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const output = await doc.send(new ScanCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...((output.Items ?? []) as Item[]));
    startKey = output.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}
