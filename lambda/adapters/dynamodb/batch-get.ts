import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Item } from './item-codec.ts';
import type { ItemKey } from './keys.ts';

const BATCH_SIZE = 100; // BatchGetItem's limit per request
const MAX_ATTEMPTS = 8;
/** Bounded so a cycle reading thousands of keys does not throttle itself. */
const MAX_PARALLEL_REQUESTS = 8;

/**
 * Reads many items by key: BatchGetItem in chunks of 100, retrying UnprocessedKeys with backoff
 * (throttling or the 16 MB response cap return them). Duplicate keys are folded (BatchGetItem
 * rejects them). Strongly consistent. Items are returned in no particular order.
 */
export async function batchGet(doc: DynamoDBDocumentClient, tableName: string, keys: ItemKey[]): Promise<Item[]> {
  const unique = [...new Map(keys.map((key) => [`${key.pk}\u0000${key.sk}`, key])).values()];
  const chunks: ItemKey[][] = [];
  for (let i = 0; i < unique.length; i += BATCH_SIZE) chunks.push(unique.slice(i, i + BATCH_SIZE));
  const items: Item[] = [];
  const worker = async () => {
    for (let chunk = chunks.shift(); chunk !== undefined; chunk = chunks.shift()) {
      items.push(...(await getChunk(doc, tableName, chunk)));
    }
  };
  await Promise.all(Array.from({ length: Math.min(MAX_PARALLEL_REQUESTS, chunks.length) }, worker));
  return items;
}

async function getChunk(doc: DynamoDBDocumentClient, tableName: string, keys: ItemKey[]): Promise<Item[]> {
  const items: Item[] = [];
  let pending: Record<string, unknown>[] = keys.map((key) => ({ pk: key.pk, sk: key.sk }));
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    if (attempt > MAX_ATTEMPTS) {
      throw new Error(`BatchGetItem on ${tableName}: ${pending.length} keys still unprocessed after ${MAX_ATTEMPTS} attempts`);
    }
    if (attempt > 1) await sleep(Math.min(2000, 50 * 2 ** attempt) * Math.random());
    const output = await doc.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
    );
    items.push(...((output.Responses?.[tableName] ?? []) as Item[]));
    pending = (output.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
  }
  return items;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
