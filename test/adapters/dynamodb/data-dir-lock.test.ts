import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimDataDir, DataDirBusyError } from '../../../lambda/adapters/dynamodb/data-dir-lock.ts';
import { currentProcess } from '../../../lambda/adapters/process/process-identity.ts';

// The pid file that makes one newshound process the host of the embedded store, and the others its guests.

const never = async () => false;
const always = async () => true;

describe('data directory lock', () => {
  let dir: string;
  let pidFile: string;
  let sleeper: ChildProcess | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newshound-lock-'));
    pidFile = join(dir, 'newshound.pid');
  });
  afterEach(async () => {
    sleeper?.kill('SIGKILL');
    sleeper = undefined;
    await rm(dir, { recursive: true, force: true });
  });
  const liveStranger = () => {
    sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    return sleeper.pid!;
  };

  it('takes over a lock left by a process that died', async () => {
    // Prepare: the pid of a process that has already exited, as an older version wrote it.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    await writeFile(pidFile, dead.stdout);
    // Act
    const claim = await claimDataDir(dir, 1_000, never);
    // Assess
    expect(claim.role).toBe('host');
    expect(JSON.parse(await readFile(pidFile, 'utf8'))).toMatchObject({ pid: process.pid });
    if (claim.role === 'host') await claim.release();
  });

  it('refuses while a live process holds it without answering, and admits once it is released', async () => {
    // Prepare
    const first = await claimDataDir(dir, 1_000, never);
    // Act + Assess
    await expect(claimDataDir(dir, 300, never)).rejects.toThrow(DataDirBusyError);
    if (first.role === 'host') await first.release();
    const second = await claimDataDir(dir, 300, never);
    expect(second.role).toBe('host');
    if (second.role === 'host') await second.release();
  });

  it('joins the live host as a guest of the endpoint it published', async () => {
    // Prepare
    const first = await claimDataDir(dir, 1_000, never);
    if (first.role !== 'host') throw new Error('expected to host');
    await first.publish('http://127.0.0.1:45678');
    // Act
    const second = await claimDataDir(dir, 1_000, always);
    // Assess
    expect(second).toEqual({ role: 'guest', endpoint: 'http://127.0.0.1:45678' });
    await first.release();
  });

  it('never lets an empty pid file block the directory', async () => {
    // Prepare: a file created and never written (the writer died between the two).
    await writeFile(pidFile, '');
    const old = new Date(Date.now() - 60_000);
    await utimes(pidFile, old, old);
    // Act
    const claim = await claimDataDir(dir, 1_000, never);
    // Assess
    expect(claim.role).toBe('host');
    if (claim.role === 'host') await claim.release();
  });

  it('takes over a pid file naming this very process that this process never took', async () => {
    // Prepare: a container restarted as the same PID 1 finds its predecessor's file.
    await writeFile(pidFile, String(process.pid));
    // Act
    const claim = await claimDataDir(dir, 1_000, never);
    // Assess
    expect(claim.role).toBe('host');
    if (claim.role === 'host') await claim.release();
  });

  it('takes over a pid file whose pid now belongs to another process', async () => {
    // Prepare: the recorded start time is not the one of the live process with that pid.
    const pid = liveStranger();
    await writeFile(pidFile, JSON.stringify({ ...currentProcess(), pid, processStart: `${currentProcess().processStart?.split(':')[0]}:1` }));
    // Act
    const claim = await claimDataDir(dir, 1_000, never);
    // Assess
    expect(claim.role).toBe('host');
    if (claim.role === 'host') await claim.release();
  });

  it('waits for a live process whose pid file names no endpoint yet', async () => {
    const pid = liveStranger();
    await writeFile(pidFile, String(pid));
    await expect(claimDataDir(dir, 300, always)).rejects.toThrow(DataDirBusyError);
  });
});
