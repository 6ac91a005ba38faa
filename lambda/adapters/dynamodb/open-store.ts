import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../core/ports/clock.ts';
import type { Store } from '../../core/ports/store.ts';
import { DynamoStore } from './dynamo-store.ts';
import { startEmbeddedEngine } from './embedded-engine.ts';
import { ensureTable } from './table-definition.ts';

export interface OpenStoreOptions {
  /** Where the embedded engine keeps its data (`<dataDir>/dynalite`); unused with NEWSHOUND_TABLE. */
  dataDir: string;
  /** Default: process.env. */
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  /** Embedded engine only: how long to wait for another process using the same data directory. */
  waitForDataDirMs?: number;
}

export interface OpenedStore {
  store: Store;
  client: DynamoDBClient;
  tableName: string;
  close(): Promise<void>;
}

/** The embedded engine's table; nothing else shares that LevelDB. */
export const EMBEDDED_TABLE_NAME = 'newshound';

/**
 * Opens the store the environment asks for (CONTRACT §1, Storage).
 *
 * - `NEWSHOUND_TABLE` set: that table, through a client configured by the standard AWS environment
 *   (the SDK itself reads AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB, credentials). When the endpoint is
 *   a loopback address (DynamoDB Local, an emulator) the table is created if missing (TTL left off);
 *   against AWS it must already exist (the stack owns it) and nothing is created or described.
 * - otherwise: dynalite in this process on a random 127.0.0.1 port, persisted under
 *   `<dataDir>/dynalite`, with the table created on first use. close() stops it.
 */
export async function openStore(options: OpenStoreOptions): Promise<OpenedStore> {
  const env = options.env ?? process.env;
  const tableName = env.NEWSHOUND_TABLE;
  if (tableName !== undefined && tableName !== '') {
    const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL;
    // Passed on explicitly so an `env` other than process.env is honoured; undefined leaves the
    // SDK's own resolution (process.env, config files, the Lambda role) in charge.
    const client = new DynamoDBClient({
      endpoint,
      region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
      credentials: envCredentials(env),
    });
    // TTL stays off on emulators: a fixed `--now` far from the real date must not see its items
    // deleted under it by real-time TTL. Reads filter expiresAt anyway.
    if (isLoopbackEndpoint(endpoint)) await ensureTable(client, tableName, { enableTtl: false });
    const store = new DynamoStore({ client, tableName, clock: options.clock });
    return { store, client, tableName, close: async () => client.destroy() };
  }

  const engine = await startEmbeddedEngine({ dataDir: options.dataDir, waitForDataDirMs: options.waitForDataDirMs });
  const client = new DynamoDBClient({
    endpoint: engine.endpoint,
    region: 'local',
    // dynalite checks that a signature is present, not what it says.
    credentials: { accessKeyId: 'embedded', secretAccessKey: 'embedded' },
  });
  try {
    await ensureTable(client, EMBEDDED_TABLE_NAME);
  } catch (error) {
    client.destroy();
    await engine.stop();
    throw error;
  }
  const store = new DynamoStore({ client, tableName: EMBEDDED_TABLE_NAME, clock: options.clock });
  return {
    store,
    client,
    tableName: EMBEDDED_TABLE_NAME,
    close: async () => {
      client.destroy();
      await engine.stop();
    },
  };
}

function envCredentials(env: NodeJS.ProcessEnv) {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, sessionToken } : undefined;
}

function isLoopbackEndpoint(endpoint: string | undefined): boolean {
  if (endpoint === undefined) return false;
  try {
    const host = new URL(endpoint).hostname;
    return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}
