import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DataDirBusyError, lockDataDir } from './data-dir-lock.ts';

export { DataDirBusyError };

// The embedded engine: dynalite served on 127.0.0.1 inside this process, its LevelDB kept under
// <dataDir>/dynalite. Loaded lazily so a Lambda bundle that never uses it need not carry it.

/** A variable, not a literal: bundlers (esbuild in the CDK stack) then leave dynalite out. */
const DYNALITE = 'dynalite';

export interface EmbeddedEngine {
  endpoint: string;
  stop(): Promise<void>;
}

export interface StartEmbeddedEngineOptions {
  dataDir: string;
  /** LevelDB allows one process per directory; wait this long for another run to finish (default 60 s). */
  waitForDataDirMs?: number;
}

export async function startEmbeddedEngine(options: StartEmbeddedEngineOptions): Promise<EmbeddedEngine> {
  const path = join(options.dataDir, 'dynalite');
  await mkdir(path, { recursive: true });
  const waitMs = options.waitForDataDirMs ?? 60_000;
  const lock = await lockDataDir(options.dataDir, waitMs);
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
    return {
      endpoint: `http://127.0.0.1:${port}`,
      stop: async () => {
        try {
          await closeServer(server);
        } finally {
          await lock.release();
        }
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
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

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive sockets from SDK clients would otherwise hold close() open.
    server.closeAllConnections?.();
  });
}
