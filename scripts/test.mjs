#!/usr/bin/env node
// `npm test`: type-check, then the whole vitest suite, then one plain closing line
// ("N passed, N failed") that any CI log reader understands. Suites needing Java (DynamoDB Local) or
// Chromium check for them and print one line when they are missing (test/support/env.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The SDK's "Node 20 support ends in 2027" notice would repeat once per test worker; it is noise here.
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', shell: false, env });

const tsc = run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
if (tsc.status !== 0) {
  console.error('npm test: type-check failed');
  console.log('tests: 0 passed, 1 failed');
  process.exit(tsc.status ?? 1);
}

const dir = mkdtempSync(join(tmpdir(), 'newshound-vitest-'));
const report = join(dir, 'report.json');
const vitest = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
]);

let summary = 'tests: 0 passed, 1 failed';
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  summary = `tests: ${r.numPassedTests} passed, ${r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0)} failed${skipped ? `, ${skipped} skipped` : ''}`;
} catch {
  // No report: vitest crashed before writing it; the status below says so.
}
rmSync(dir, { recursive: true, force: true });
console.log(summary);
process.exit(vitest.status ?? 1);
