#!/usr/bin/env node
// `npm test`: type-check, then the whole vitest suite. Suites needing Java or Chromium decide for
// themselves (see test/support/env.ts) and print one line when the tool is missing.
import { spawnSync } from 'node:child_process';

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', shell: false });

const tsc = run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
if (tsc.status !== 0) {
  console.error('npm test: type-check failed');
  process.exit(tsc.status ?? 1);
}
const vitest = run('npx', ['vitest', 'run', ...process.argv.slice(2)]);
process.exit(vitest.status ?? 1);
