import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirBusyError, lockDataDir } from '../../../lambda/adapters/dynamodb/data-dir-lock.ts';

// The pid file that lets one newshound process at a time open the embedded store.

describe('data directory lock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newshound-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes over a lock left by a process that died', async () => {
    // Prepare: the pid of a process that has already exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    await writeFile(join(dir, 'newshound.pid'), dead.stdout);
    // Act
    const lock = await lockDataDir(dir, 1_000);
    // Assess
    expect(await readFile(join(dir, 'newshound.pid'), 'utf8')).toBe(String(process.pid));
    await lock.release();
  });

  it('refuses while a live process holds it, and admits once it is released', async () => {
    // Prepare
    const first = await lockDataDir(dir, 1_000);
    // Act + Assess
    await expect(lockDataDir(dir, 300)).rejects.toThrow(DataDirBusyError);
    await first.release();
    const second = await lockDataDir(dir, 300);
    await second.release();
  });
});
