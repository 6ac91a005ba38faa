import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

// One process at a time may open the embedded engine's LevelDB. LevelDB's own lock is only taken
// when dynalite opens the database, too late to refuse politely (dynalite then crashes the process
// on its first request), so processes first take this pid file, created exclusively. A file left by
// a process that died is recognised by its pid and taken over.

export class DataDirBusyError extends Error {
  override readonly name = 'DataDirBusyError';
  constructor(readonly path: string) {
    super(`the data directory ${path} is in use by another newshound process; try again when it has finished`);
  }
}

export interface DataDirLock {
  release(): Promise<void>;
}

const LOCK_FILE = 'newshound.pid';

export async function lockDataDir(dir: string, waitMs: number): Promise<DataDirLock> {
  const file = join(dir, LOCK_FILE);
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (await tryCreate(file)) {
      return { release: () => rm(file, { force: true }) };
    }
    const holder = await readPid(file);
    if (holder !== undefined && !isAlive(holder)) {
      await takeOverStale(file, holder);
      continue;
    }
    if (Date.now() >= deadline) throw new DataDirBusyError(dir);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function tryCreate(file: string): Promise<boolean> {
  try {
    const handle = await open(file, 'wx', 0o600);
    await handle.writeFile(String(process.pid));
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Moves the stale file aside under a name of our own, then checks that what we moved is still the
 * dead holder's: if another process replaced it meanwhile, its live lock is put back.
 */
async function takeOverStale(file: string, stalePid: number): Promise<void> {
  const aside = `${file}.stale-${process.pid}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readPid(aside);
  if (moved !== stalePid && moved !== undefined && isAlive(moved)) {
    await rename(aside, file).catch(() => undefined);
    return;
  }
  await rm(aside, { force: true });
}

async function readPid(file: string): Promise<number | undefined> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const pid = Number.parseInt(text, 10);
  // An empty file is one being written this instant: treat the holder as alive (unknown pid).
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
