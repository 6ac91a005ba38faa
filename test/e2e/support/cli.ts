import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../../bin/newshound.mjs', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI (`node bin/newshound.mjs ...`) as a child process. Asynchronous on purpose:
 * the feed server the child polls lives in this test process and must keep answering meanwhile.
 */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return startCli(args, env).done;
}

export interface RunningCli {
  /** Resolves once stdout matches `pattern` (rejects if the process ends first). */
  waitForOutput(pattern: RegExp): Promise<void>;
  signal(name: NodeJS.Signals): void;
  done: Promise<CliResult>;
}

/** Starts the real CLI and leaves it running (for `watch`). */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, NEWSHOUND_TABLE: '', NEWSHOUND_SECRET: 'e2e-test-key', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const w of waiters.filter((w) => w.pattern.test(stdout))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return {
    waitForOutput: (pattern) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(stdout)) return resolve();
        waiters.push({ pattern, resolve });
        void done.then((r) => reject(new Error(`CLI ended (code ${r.code}) before printing ${pattern}:\n${r.stdout}\n${r.stderr}`)));
      }),
    signal: (name) => void child.kill(name),
    done,
  };
}
