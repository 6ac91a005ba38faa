import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { LockHolder } from '../../core/domain/lock.ts';

// Telling a dead lock holder from a live one on this machine. A pid alone is not enough: pids are
// reused, and a container restarted under the same pid (PID 1) would look like its dead predecessor.
// On Linux a process is identified by the boot and its start time (/proc/<pid>/stat, field 22);
// elsewhere by the pid alone, checked with signal 0.

let self: LockHolder | undefined;

/** This process as it is recorded in the locks it takes. */
export function currentProcess(): LockHolder {
  if (!self) {
    const start = processStart(process.pid);
    self = { host: hostname(), pid: process.pid, ...(start ? { processStart: start } : {}) };
  }
  return self;
}

/**
 * True only when the holder is provably gone: it ran on this machine (same host name and boot) and
 * no process with its pid and start time exists now. A holder on another machine is never "dead"
 * here: its lease decides.
 */
export function isProvablyDead(holder: LockHolder): boolean {
  const me = currentProcess();
  if (holder.host !== me.host) return false;
  if (holder.processStart && me.processStart && bootOf(holder.processStart) !== bootOf(me.processStart)) {
    // Same host name, another boot: everything from before the reboot is gone.
    return true;
  }
  if (holder.pid === me.pid) return holder.processStart !== undefined && holder.processStart !== me.processStart;
  if (holder.processStart) {
    const now = processStart(holder.pid);
    if (now !== undefined) return now !== holder.processStart;
  }
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** `<boot id>:<start time in clock ticks>` on Linux; undefined where /proc does not say. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = fields[19];
    return startTicks ? `${bootId()}:${startTicks}` : undefined;
  } catch {
    return undefined;
  }
}

let boot: string | undefined;
function bootId(): string {
  if (boot === undefined) {
    try {
      boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      boot = '';
    }
  }
  return boot;
}

function bootOf(processStart: string): string {
  return processStart.slice(0, processStart.lastIndexOf(':'));
}
