import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

// The table's shape as plain data: the embedded engine, the tests and the CDK stack (lib/) all read
// it from here, so the three can never disagree. Layout and item types: docs/table-layout.md.

const PARTITION_KEY = 'pk';
const SORT_KEY = 'sk';
/** TTL attribute (epoch seconds). TTL deletes lazily, so every read also filters it. */
const TTL_ATTRIBUTE = 'expiresAt';

/**
 * Sparse local index over pending hits: `lsi1sk` exists only while a hit is pending. A *local* index
 * because pendingHits must see a hit written a moment earlier in the same cycle: LSIs allow
 * strongly consistent queries, GSIs do not. LSIs can only be created with the table.
 */
export const PENDING_INDEX = 'lsi1';
export const PENDING_INDEX_SORT_KEY = 'lsi1sk';

/**
 * Due index over feed states: `dueSk = <nextDueAt>#<feed>` under `duePk = DUE#<shard>`, so the
 * dispatcher finds every due feed with one Query per shard (`dueSk <= now`), no scan. A global index:
 * it spans feeds. Its few shards keep one partition from taking every poll's index write.
 */
export const DUE_INDEX = 'gsi1';
export const DUE_INDEX_PARTITION_KEY = 'duePk';
export const DUE_INDEX_SORT_KEY = 'dueSk';
export const DUE_SHARDS = 4;

export const tableDefinition = {
  partitionKey: { name: PARTITION_KEY, type: 'S' },
  sortKey: { name: SORT_KEY, type: 'S' },
  timeToLiveAttribute: TTL_ATTRIBUTE,
  billingMode: 'PAY_PER_REQUEST',
  localSecondaryIndexes: [
    { indexName: PENDING_INDEX, sortKey: { name: PENDING_INDEX_SORT_KEY, type: 'S' }, projection: 'ALL' },
  ],
  globalSecondaryIndexes: [
    {
      indexName: DUE_INDEX,
      partitionKey: { name: DUE_INDEX_PARTITION_KEY, type: 'S' },
      sortKey: { name: DUE_INDEX_SORT_KEY, type: 'S' },
      projection: 'INCLUDE',
      nonKeyAttributes: ['feedUrl'],
    },
  ],
} as const;

function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: tableDefinition.billingMode,
    KeySchema: [
      { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
      { AttributeName: SORT_KEY, KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: PARTITION_KEY, AttributeType: 'S' },
      { AttributeName: SORT_KEY, AttributeType: 'S' },
      { AttributeName: PENDING_INDEX_SORT_KEY, AttributeType: 'S' },
      { AttributeName: DUE_INDEX_PARTITION_KEY, AttributeType: 'S' },
      { AttributeName: DUE_INDEX_SORT_KEY, AttributeType: 'S' },
    ],
    LocalSecondaryIndexes: tableDefinition.localSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: index.projection },
    })),
    GlobalSecondaryIndexes: tableDefinition.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: index.projection, NonKeyAttributes: [...index.nonKeyAttributes] },
    })),
  };
}

export interface EnsureTableOptions {
  /** Turn TTL on after creating the table (default true). Engines without the API are ignored. */
  enableTtl?: boolean;
  /** How long to wait for the table to become ACTIVE (default 60 s). */
  timeoutMs?: number;
}

/** Creates the table if it is missing and waits until it is ACTIVE. Idempotent. */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  options: EnsureTableOptions = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let status = await tableStatus(client, tableName);
  const created = status === undefined;
  if (created) {
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
    } catch (error) {
      // Another process created it between our describe and create: fine.
      if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
    }
  }
  for (;;) {
    status = await tableStatus(client, tableName);
    if (status === 'ACTIVE') {
      if (created && (options.enableTtl ?? true)) await enableTtl(client, tableName);
      return;
    }
    if (Date.now() > deadline) throw new Error(`table ${tableName} not ACTIVE after waiting (status: ${status ?? 'missing'})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * True when the table has the due index. Tables the embedded engine created before it existed do not
 * (dynalite cannot add a global index later): their due feeds are found by a scan of the feed states,
 * which is fine at the sizes one machine polls.
 */
export async function hasDueIndex(client: DynamoDBClient, tableName: string): Promise<boolean> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  return (Table?.GlobalSecondaryIndexes ?? []).some((index) => index.IndexName === DUE_INDEX);
}

async function tableStatus(client: DynamoDBClient, tableName: string): Promise<string | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table?.TableStatus ?? 'ACTIVE';
  } catch (error) {
    if (error instanceof ResourceNotFoundException || (error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

async function enableTtl(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    );
  } catch (error) {
    // dynalite has no TTL API (UnknownOperationException); reads filter expiresAt anyway.
    const name = (error as Error).name;
    if (name !== 'UnknownOperationException' && name !== 'UnrecognizedClientException') throw error;
  }
}
