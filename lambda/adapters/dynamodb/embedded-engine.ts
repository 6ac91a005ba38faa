import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createConnection, type AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { claimDataDir, DataDirBusyError } from './data-dir-lock.ts';

export { DataDirBusyError };

// The embedded engine: dynalite served on 127.0.0.1, its LevelDB kept under <dataDir>/dynalite.
// The first newshound process on a data directory hosts it; the others use the host's endpoint
// (data-dir-lock.ts). Loaded lazily so a Lambda bundle that never uses it need not carry it.

/** A variable, not a literal: bundlers (esbuild in the CDK stack) then leave dynalite out. */
const DYNALITE = 'dynalite';

export interface EmbeddedEngine {
  endpoint: string;
  /** `host`: this process serves the engine; `guest`: another process does. */
  role: 'host' | 'guest';
  /** A host stops serving once the requests in flight (its own and its guests') are answered. */
  stop(): Promise<void>;
}

export interface StartEmbeddedEngineOptions {
  dataDir: string;
  /** How long to wait for a host that holds the directory but does not answer yet (default 5 s: a starting host answers within one). */
  waitForDataDirMs?: number;
  /** Run by a new host before guests are told its endpoint (creating the table, say). */
  prepare?: (endpoint: string) => Promise<void>;
}

export async function startEmbeddedEngine(options: StartEmbeddedEngineOptions): Promise<EmbeddedEngine> {
  const path = join(options.dataDir, 'dynalite');
  await mkdir(path, { recursive: true });
  const waitMs = options.waitForDataDirMs ?? 5_000;
  const claim = await claimDataDir(options.dataDir, waitMs, answers);
  if (claim.role === 'guest') return { endpoint: claim.endpoint, role: 'guest', stop: async () => {} };
  try {
    // A process of an older version (without the pid file) may still hold LevelDB: wait for it too.
    await waitForDataDir(path, waitMs);
    const { default: dynalite } = (await import(DYNALITE)) as typeof import('dynalite');
    const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const endpoint = `http://127.0.0.1:${port}`;
    try {
      await options.prepare?.(endpoint);
      await claim.publish(endpoint);
    } catch (error) {
      await closeServer(server);
      throw error;
    }
    return {
      endpoint,
      role: 'host',
      stop: async () => {
        try {
          await closeServer(server);
        } finally {
          await claim.release();
        }
      },
    };
  } catch (error) {
    await claim.release();
    throw error;
  }
}

/** True when something accepts connections at the endpoint within half a second. */
function answers(endpoint: string): Promise<boolean> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * dynalite throws an uncaught error when its LevelDB is locked by another process, so we open the
 * directory ourselves first and wait (after taking the pid file, so no newshound process races us).
 */
async function waitForDataDir(path: string, waitMs: number): Promise<void> {
  // `level` is dynalite's own dependency: resolve it from there rather than depending on it directly.
  const { Level } = createRequire(createRequire(import.meta.url).resolve('dynalite'))('level') as {
    Level: new (path: string) => { open(): Promise<void>; close(): Promise<void> };
  };
  const deadline = Date.now() + waitMs;
  for (;;) {
    const db = new Level(path);
    try {
      await db.open();
      await db.close();
      return;
    } catch (error) {
      if (!isLockError(error)) throw error;
      if (Date.now() >= deadline) throw new DataDirBusyError(path);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function isLockError(error: unknown): boolean {
  return (error as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED';
}

/**
 * Stops accepting connections, lets the requests in flight finish (a guest's write is answered, not
 * cut), and closes idle keep-alive sockets as they become idle; after 5 s it closes whatever is left.
 */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    const sweep = setInterval(() => server.closeIdleConnections?.(), 25);
    const force = setTimeout(() => server.closeAllConnections?.(), 5_000);
    server.close((error) => {
      clearInterval(sweep);
      clearTimeout(force);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections?.();
  });
}
