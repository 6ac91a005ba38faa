// Runs `node bin/newshound.mjs ARGS` as a child process for the bench scripts: optionally killed
// with SIGKILL after a delay, optionally under `/usr/bin/time -v` for its peak RSS.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/newshound.mjs', import.meta.url));
const GNU_TIME = '/usr/bin/time';

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** performance.now() when the child was spawned and when it ended. */
  startedAt: number;
  endedAt: number;
  wallMs: number;
  /** True when our SIGKILL reached a process that was still running. */
  killed: boolean;
  /** Peak RSS of the child in bytes (from /usr/bin/time -v, or /proc VmHWM polling), when measured. */
  peakRssBytes?: number;
  /** How the peak was measured. */
  rssSource?: string;
  /** True when the run hit `timeoutMs` and was killed for it. */
  timedOut: boolean;
}

export interface CliRunOptions {
  env?: NodeJS.ProcessEnv;
  /** SIGKILL the process this many ms after spawning (if it is still running). */
  killAfterMs?: number;
  /** Measure the peak RSS (wraps the child in /usr/bin/time -v when present, else polls /proc). */
  measureRss?: boolean;
  /** Safety net: SIGKILL after this long and report timedOut. */
  timeoutMs?: number;
  /** Called once spawned with a function that SIGKILLs the process (if still running) when called. */
  onSpawn?: (kill: () => void) => void;
  /** Another checkout's bin/newshound.mjs (default: this repository's). */
  bin?: string;
}

const live = new Set<ChildProcess>();

/** SIGKILLs every child still running (for a bench script interrupted with Ctrl-C). */
export function killStartedChildren(): void {
  for (const child of live) {
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
}

export function hasGnuTime(): boolean {
  return existsSync(GNU_TIME);
}

export function runCli(args: readonly string[], options: CliRunOptions = {}): Promise<CliRun> {
  const useTime = options.measureRss === true && hasGnuTime();
  const command = useTime ? GNU_TIME : process.execPath;
  const bin = options.bin ?? BIN;
  const argv = useTime ? ['-v', process.execPath, bin, ...args] : [bin, ...args];
  const startedAt = performance.now();
  const child = spawn(command, argv, {
    cwd: dirname(dirname(bin)),
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a kill reaches node even under /usr/bin/time.
    detached: true,
  });
  live.add(child);
  const killGroup = (): boolean => {
    if (child.pid === undefined) return false;
    try {
      process.kill(-child.pid, 'SIGKILL');
      return true;
    } catch {
      return false;
    }
  };
  let stdout = '';
  let stderr = '';
  let killed = false;
  let timedOut = false;
  let exited = false;
  let vmHwm = 0;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timers: NodeJS.Timeout[] = [];
  const kill = () => {
    if (!exited && child.exitCode === null && child.signalCode === null) killed = killGroup() || killed;
  };
  if (options.killAfterMs !== undefined) timers.push(setTimeout(kill, options.killAfterMs));
  options.onSpawn?.(kill);
  if (options.timeoutMs !== undefined) {
    timers.push(
      setTimeout(() => {
        if (!exited && child.exitCode === null && child.signalCode === null) {
          timedOut = true;
          killGroup();
        }
      }, options.timeoutMs),
    );
  }
  let poller: NodeJS.Timeout | undefined;
  if (options.measureRss && !useTime && child.pid !== undefined) {
    poller = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const m = /VmHWM:\s+(\d+) kB/.exec(status);
        if (m) vmHwm = Math.max(vmHwm, Number(m[1]) * 1024);
      } catch {
        /* gone */
      }
    }, 20);
  }
  child.on('exit', () => {
    exited = true;
    live.delete(child);
  });
  return new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const endedAt = performance.now();
      for (const t of timers) clearTimeout(t);
      if (poller) clearInterval(poller);
      // A process that finished just before our kill is reported by its exit status, not as killed.
      const reallyKilled = killed && signal === 'SIGKILL';
      const run: CliRun = { code, signal, stdout, stderr, startedAt, endedAt, wallMs: endedAt - startedAt, killed: reallyKilled, timedOut };
      if (useTime) {
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
        if (m) {
          run.peakRssBytes = Number(m[1]) * 1024;
          run.rssSource = '/usr/bin/time -v';
        }
        // /usr/bin/time reports a signalled child as "Command terminated by signal N" and exits 128+N.
        const sig = /Command terminated by signal (\d+)/.exec(stderr);
        if (sig) run.code = 128 + Number(sig[1]);
        const exit = /Command exited with non-zero status (\d+)/.exec(stderr);
        if (exit) run.code = Number(exit[1]);
      } else if (options.measureRss) {
        run.peakRssBytes = vmHwm || undefined;
        run.rssSource = '/proc VmHWM (polled every 20 ms)';
      }
      resolve(run);
    });
  });
}
