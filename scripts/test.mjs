#!/usr/bin/env node
// `npm test`: type-check, lint and dead-code check, then the whole vitest suite, then one plain closing line
// ("tests: N passed, N failed, N skipped") that any CI log reader understands. Suites needing Java
// (DynamoDB Local) or Chromium register their tests as skipped when those are missing and print one
// line saying so (test/support/env.ts), so a Node-only run shows what it left out. With
// NEWSHOUND_TESTS_NO_SKIPS=1 (set by .ci/run, where both are installed) any skipped test fails the run.
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
  console.log('tests: 0 passed, 1 failed, 0 skipped');
  process.exit(tsc.status ?? 1);
}

// Lint (Biome: correctness, suspicious patterns, focused or skipped tests) and dead code (knip:
// unused files, exports and dependencies) before the tests: README, "Development".
for (const [name, args] of [
  ['lint', ['biome', 'lint', '--max-diagnostics=50']],
  ['dead-code check', ['knip', '--no-progress']],
]) {
  const step = run('npx', args);
  if (step.status !== 0) {
    console.error(`npm test: ${name} failed`);
    console.log('tests: 0 passed, 1 failed, 0 skipped');
    process.exit(step.status ?? 1);
  }
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

let summary = 'tests: 0 passed, 1 failed, 0 skipped';
let skipped = 0;
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A file that failed outside any test (an import error, a failing beforeAll) counts once.
  const brokenFiles = r.testResults.filter((f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed')).length;
  summary = `tests: ${r.numPassedTests} passed, ${r.numFailedTests + brokenFiles} failed, ${skipped} skipped`;
} catch {
  // No report: vitest crashed before writing it; the status below says so.
}
rmSync(dir, { recursive: true, force: true });
let status = vitest.status ?? 1;
if (status !== 0 && !/ [1-9]\d* failed/.test(summary)) summary += ` (vitest exited ${status}: see the errors above)`;
console.log(summary);
if (status === 0 && skipped > 0 && process.env.NEWSHOUND_TESTS_NO_SKIPS === '1') {
  console.error(`npm test: ${skipped} skipped, and NEWSHOUND_TESTS_NO_SKIPS=1 allows none (the lines above say which suites and why)`);
  status = 1;
}
process.exit(status);
