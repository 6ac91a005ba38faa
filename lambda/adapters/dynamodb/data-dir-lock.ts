import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LockHolder } from '../../core/domain/lock.ts';
import { currentProcess, isProvablyDead } from '../process/process-identity.ts';

// One process at a time opens the embedded engine's LevelDB: the host. It takes this pid file
// (created exclusively) before opening LevelDB, whose own lock comes too late to refuse politely, and
// then writes into it the local endpoint where it serves the engine. Any other newshound process
// that finds the file held by a live host becomes a guest of that endpoint instead of waiting, so
// `serve`, `feeds`, `subscribers` and `run` work side by side (README, "One data directory, many
// commands"). A file whose holder is provably dead (docs: process-identity.ts), an empty or
// unreadable file older than a moment, or one naming this very process without being held by it
// (a container restarted as the same PID 1) is taken over at once.

export class DataDirBusyError extends Error {
  override readonly name = 'DataDirBusyError';
  constructor(readonly path: string) {
    super(`the data directory ${path} is in use by another newshound process that does not answer; try again when it has finished`);
  }
}

export interface DataDirHost {
  role: 'host';
  /** Tells other processes where this host serves the engine. */
  publish(endpoint: string): Promise<void>;
  release(): Promise<void>;
}

export interface DataDirGuest {
  role: 'guest';
  endpoint: string;
}

/** What the pid file holds (a bare pid in files written by older versions). */
interface PidFile extends LockHolder {
  endpoint?: string;
}

const LOCK_FILE = 'newshound.pid';
/** A pid file is written right after it is created; one still empty after this long was abandoned. */
const UNWRITTEN_GRACE_MS = 2_000;
/** Files this process holds: a pid file naming this process that is not in here is a predecessor's. */
const heldHere = new Set<string>();

/**
 * Becomes the data directory's host, or a guest of the live host's endpoint (when `answers` says it
 * responds). Waits up to `waitMs` only while the holder is alive but not (yet) answering.
 */
export async function claimDataDir(dir: string, waitMs: number, answers: (endpoint: string) => Promise<boolean>): Promise<DataDirHost | DataDirGuest> {
  const file = join(dir, LOCK_FILE);
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (await tryCreate(file)) return host(file);
    const holder = await readHolder(file);
    if (holder === 'gone') continue;
    if (holder === 'unreadable' ? await abandoned(file) : isDead(file, holder)) {
      await takeOverStale(file, holder);
      continue;
    }
    if (holder !== 'unreadable' && holder.endpoint && (await answers(holder.endpoint))) return { role: 'guest', endpoint: holder.endpoint };
    if (Date.now() >= deadline) throw new DataDirBusyError(dir);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function host(file: string): DataDirHost {
  heldHere.add(file);
  return {
    role: 'host',
    publish: async (endpoint) => {
      // Written aside and renamed over our own file: a reader never sees half of it.
      const aside = `${file}.${process.pid}.tmp`;
      await writeFile(aside, JSON.stringify({ ...currentProcess(), endpoint } satisfies PidFile), { mode: 0o600 });
      await rename(aside, file);
    },
    release: async () => {
      heldHere.delete(file);
      await rm(file, { force: true });
    },
  };
}

async function tryCreate(file: string): Promise<boolean> {
  try {
    const handle = await open(file, 'wx', 0o600);
    await handle.writeFile(JSON.stringify(currentProcess() satisfies PidFile));
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function readHolder(file: string): Promise<PidFile | 'unreadable' | 'gone'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { host: currentProcess().host, pid: Number(trimmed) };
  try {
    const parsed = JSON.parse(trimmed) as Partial<PidFile>;
    if (typeof parsed.pid === 'number' && Number.isInteger(parsed.pid) && parsed.pid > 0 && typeof parsed.host === 'string') {
      return parsed as PidFile;
    }
  } catch {
    // fall through: empty, half-written or corrupt
  }
  return 'unreadable';
}

function isDead(file: string, holder: PidFile): boolean {
  if (holder.pid === process.pid && holder.host === currentProcess().host) {
    // Ours only if this process took it; otherwise a predecessor that had the same pid wrote it.
    return !heldHere.has(file);
  }
  return isProvablyDead(holder);
}

/** An unreadable file is one being written this instant, unless it has stayed so for a while. */
async function abandoned(file: string): Promise<boolean> {
  try {
    return Date.now() - (await stat(file)).mtimeMs > UNWRITTEN_GRACE_MS;
  } catch {
    return false;
  }
}

/**
 * Moves the stale file aside under a name of our own, then checks that what we moved is still the
 * stale holder's: if another process replaced it meanwhile with a live lock, that lock is put back.
 */
async function takeOverStale(file: string, stale: PidFile | 'unreadable'): Promise<void> {
  const aside = `${file}.stale-${process.pid}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readHolder(aside);
  if (moved === 'gone') return;
  const same =
    moved === stale || (moved !== 'unreadable' && stale !== 'unreadable' && moved.pid === stale.pid && moved.processStart === stale.processStart);
  if (!same && (moved === 'unreadable' || !isDead(file, moved))) {
    await rename(aside, file).catch(() => undefined);
    return;
  }
  await rm(aside, { force: true });
}
