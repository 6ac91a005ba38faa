// Bundle size and cold-start import time of each Lambda handler, as the stack bundles them.
//
//   npx tsx bench/cold-start.ts [--config newshound.yaml] [--runs 10]
//
// Synthesizes the stack into a temporary cloud assembly (esbuild, offline), then for each function
// prints index.mjs's size (raw and gzip, the latter close to the deployment zip) and the time to
// import the module in a fresh Node process: median, min and max of N runs. The import is what
// Lambda's init phase pays on top of the runtime's own start; it excludes first-request work
// (reading the secret, connecting to DynamoDB). Node here is the local one, not Lambda's arm64.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { App } from 'aws-cdk-lib';
import { NewshoundStack } from '../lib/newshound-stack.ts';
import { bundledFunction, FUNCTION_NAMES } from '../test/cdk/support/bundled-assets.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const configPath = resolve(arg('config', 'newshound.yaml'));
const runs = Number(arg('runs', '10'));
const outdir = mkdtempSync(join(tmpdir(), 'newshound-bench-'));

// What a module may read at import; nothing here is contacted (imports do no I/O beyond files).
const fakeEnv: Record<string, string> = {
  NEWSHOUND_TABLE: 'bench',
  NEWSHOUND_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:bench',
  NEWSHOUND_SES_CONFIGURATION_SET: 'bench',
  NEWSHOUND_PUBLIC_URL: 'https://bench.example.org',
  NEWSHOUND_FEED_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/bench',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  POWERTOOLS_METRICS_DISABLED: 'true',
};

const importScript = `
const t0 = performance.now();
await import(process.argv[1]);
process.stdout.write(String(performance.now() - t0));
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

try {
  const app = new App({ outdir });
  const stack = new NewshoundStack(app, 'NewshoundBench', {
    configPath,
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  app.synth();

  console.log(`cold-start import, ${runs} fresh processes each (node ${process.version}, ${process.arch}); config ${configPath}`);
  console.log('function     index.mjs     gzip      import median   min      max');
  for (const name of FUNCTION_NAMES) {
    const bundle = bundledFunction(stack, outdir, name);
    const bytes = statSync(bundle.entry).size;
    const gzip = gzipSync(readFileSync(bundle.entry)).length;
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', importScript, bundle.entry], {
        env: { PATH: process.env.PATH, ...fakeEnv, LAMBDA_TASK_ROOT: bundle.dir, NEWSHOUND_CONFIG_PATH: 'config.json' },
        encoding: 'utf8',
      });
      if (child.status !== 0) throw new Error(`importing ${name} failed:\n${child.stderr}`);
      times.push(Number(child.stdout));
    }
    const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`.padStart(9);
    const ms = (n: number) => `${n.toFixed(1)} ms`.padStart(8);
    console.log(`${name.padEnd(10)} ${kb(bytes)} ${kb(gzip)}   ${ms(median(times))}     ${ms(Math.min(...times))} ${ms(Math.max(...times))}`);
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
