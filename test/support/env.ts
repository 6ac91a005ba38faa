import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

// What the machine running the tests has. Suites that need an optional tool check here and, when it
// is missing, print one line with skipLine() and register their tests with `describe.skipIf`, so
// they neither fail nor vanish: `npm test` counts them as skipped, and .ci/run fails on any skip.

let javaFound: boolean | undefined;

/**
 * `NEWSHOUND_TESTS_WITHOUT=java,chromium` makes the suite behave as on a machine with only Node, so
 * that path (one line per suite, its tests skipped, nothing failing) can be checked on a machine that has both.
 */
function withheld(tool: 'java' | 'chromium'): boolean {
  return (process.env.NEWSHOUND_TESTS_WITHOUT ?? '').split(',').map((s) => s.trim()).includes(tool);
}

/** True when `java -version` runs (DynamoDB Local needs Java 17+). */
export function hasJava(): boolean {
  if (withheld('java')) return false;
  javaFound ??= spawnSync('java', ['-version'], { stdio: 'ignore', timeout: 20_000 }).status === 0;
  return javaFound;
}

/** A Chromium/Chrome executable: $CHROMIUM_PATH, else the first of the usual names on PATH. */
export function chromiumPath(): string | undefined {
  if (withheld('chromium')) return undefined;
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && isExecutable(fromEnv)) return fromEnv;
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Prints the one line a suite leaves when it cannot run here, e.g. "DynamoDB Local suite not run: java not found". */
export function skipLine(reason: string): void {
  process.stdout.write(`${reason}\n`);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
