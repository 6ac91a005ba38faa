import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../core/ports/clock.ts';
import type { Store } from '../../core/ports/store.ts';
import { DynamoStore } from './dynamo-store.ts';
import { startEmbeddedEngine, type EmbeddedEngine } from './embedded-engine.ts';
import { ensureTable, hasDueIndex } from './table-definition.ts';

export interface OpenStoreOptions {
  /** Where the embedded engine keeps its data (`<dataDir>/dynalite`); unused with NEWSHOUND_TABLE. */
  dataDir: string;
  /** Default: process.env. */
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  /** Embedded engine only: how long to wait for a process that holds the data directory but does not answer. */
  waitForDataDirMs?: number;
}

export interface OpenedStore {
  store: Store;
  client: DynamoDBClient;
  tableName: string;
  close(): Promise<void>;
}

/** The embedded engine's table; nothing else shares that LevelDB. */
const EMBEDDED_TABLE_NAME = 'newshound';

/**
 * Opens the store the environment asks for (docs/behaviour.md, Storage).
 *
 * - `NEWSHOUND_TABLE` set: that table, through a client configured by the standard AWS environment
 *   (the SDK itself reads AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB, credentials). When the endpoint is
 *   a loopback address (DynamoDB Local, an emulator) the table is created if missing (TTL left off);
 *   against AWS it must already exist (the stack owns it) and nothing is created or described.
 * - otherwise: dynalite on a random 127.0.0.1 port, persisted under `<dataDir>/dynalite`, with the
 *   table created on first use: served by this process, or by the newshound process that already
 *   serves that data directory. close() stops it (once the requests in flight are answered).
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
    let dueIndex = true;
    if (isLoopbackEndpoint(endpoint)) {
      await ensureTable(client, tableName, { enableTtl: false });
      dueIndex = await hasDueIndex(client, tableName);
    }
    const store = new DynamoStore({ client, tableName, clock: options.clock, dueIndex });
    return { store, client, tableName, close: async () => client.destroy() };
  }

  return openEmbeddedStore(options);
}

interface EmbeddedConnection {
  engine: EmbeddedEngine;
  client: DynamoDBClient;
  store: DynamoStore;
}

/**
 * The embedded engine, hosted by this process or by the newshound process that already holds the
 * data directory. The host can finish and go away while a guest still works: a request it refuses
 * (connection refused: nothing was received, so repeating it is safe) makes the guest claim the
 * directory again, as host or as the guest of the new host, and repeat that request.
 */
async function openEmbeddedStore(options: OpenStoreOptions): Promise<OpenedStore> {
  const connect = async (): Promise<EmbeddedConnection> => {
    let client: DynamoDBClient | undefined;
    let dueIndex = true;
    const engine = await startEmbeddedEngine({
      dataDir: options.dataDir,
      waitForDataDirMs: options.waitForDataDirMs,
      // The table exists before any guest is told where the engine is.
      prepare: async (endpoint) => {
        client = embeddedClient(endpoint);
        await ensureTable(client, EMBEDDED_TABLE_NAME);
      },
    });
    client ??= embeddedClient(engine.endpoint);
    dueIndex = await hasDueIndex(client, EMBEDDED_TABLE_NAME);
    return { engine, client, store: new DynamoStore({ client, tableName: EMBEDDED_TABLE_NAME, clock: options.clock, dueIndex }) };
  };

  let current = await connect();
  let reconnecting: Promise<EmbeddedConnection> | undefined;
  const reconnect = (stale: EmbeddedConnection): Promise<EmbeddedConnection> => {
    if (current !== stale) return Promise.resolve(current);
    reconnecting ??= (async () => {
      stale.client.destroy();
      await stale.engine.stop().catch(() => undefined);
      current = await connect();
      return current;
    })().finally(() => {
      reconnecting = undefined;
    });
    return reconnecting;
  };

  const store = new Proxy({} as Store, {
    get: (_target, name) => {
      if (typeof name !== 'string' || name === 'then') return undefined;
      return async (...args: unknown[]) => {
        for (let attempt = 1; ; attempt += 1) {
          const connection = current;
          const method = connection.store[name as keyof Store] as (...a: unknown[]) => Promise<unknown>;
          try {
            return await method.apply(connection.store, args);
          } catch (error) {
            if (!isConnectionRefused(error) || attempt >= RECONNECT_ATTEMPTS) throw error;
            await reconnect(connection);
          }
        }
      };
    },
  });

  return {
    store,
    get client() {
      return current.client;
    },
    tableName: EMBEDDED_TABLE_NAME,
    close: async () => {
      current.client.destroy();
      await current.engine.stop();
    },
  };
}

const RECONNECT_ATTEMPTS = 4;

function embeddedClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    // dynalite checks that a signature is present, not what it says.
    credentials: { accessKeyId: 'embedded', secretAccessKey: 'embedded' },
  });
}

function isConnectionRefused(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown; errors?: unknown[] } | undefined; e; e = e.cause as typeof e) {
    if (e.code === 'ECONNREFUSED') return true;
    if (Array.isArray(e.errors) && e.errors.some((inner) => isConnectionRefused(inner))) return true;
  }
  return false;
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
