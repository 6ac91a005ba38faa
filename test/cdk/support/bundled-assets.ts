import { join } from 'node:path';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { NewshoundStack } from '../../../lib/newshound-stack.ts';

/** A synthesized function's bundle directory and the environment the stack gives it. */
export interface BundledFunction {
  /** `cdk.out/asset.<hash>`: index.mjs (+ config.json when the function has one). */
  dir: string;
  entry: string;
  /**
   * The function's environment variables. Values CloudFormation resolves at deploy time (a table
   * name, a secret ARN) appear as `{ Ref: ... }` objects: pass `resolved` to put local values in.
   */
  environment: Record<string, unknown>;
}

/** Every function of the stack, in the order the figures list them (bench/cold-start.ts). */
export const FUNCTION_NAMES = ['dispatch', 'worker', 'sender', 'sesEvents', 'api', 'websub'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** Finds each function's asset in the cloud assembly written to `outdir`. */
export function bundledFunction(stack: NewshoundStack, outdir: string, name: FunctionName): BundledFunction {
  const fn = {
    dispatch: stack.dispatchFunction,
    worker: stack.workerFunction,
    sender: stack.senderFunction,
    sesEvents: stack.sesEventsFunction,
    api: stack.apiFunction,
    websub: stack.websubFunction,
  }[name];
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const code = stack.resolve(cfn.code) as { s3Key: string };
  const hash = code.s3Key.replace(/\.zip$/, '');
  const dir = join(outdir, `asset.${hash}`);
  const environment = (stack.resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined)?.variables ?? {};
  return { dir, entry: join(dir, 'index.mjs'), environment };
}

/**
 * The environment a plain Node process needs to run the bundle as Lambda would: the stack's
 * variables with every deploy-time value replaced from `resolved` (by variable name), and
 * LAMBDA_TASK_ROOT at the bundle. Throws when a deploy-time value has no replacement, so a new
 * variable in the stack cannot silently go missing in the test.
 */
export function localEnvironment(bundle: BundledFunction, resolved: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { LAMBDA_TASK_ROOT: bundle.dir };
  for (const [key, value] of Object.entries(bundle.environment)) {
    if (key in resolved) env[key] = resolved[key]!;
    else if (typeof value === 'string') env[key] = value;
    else throw new Error(`${key} is resolved at deploy time (${JSON.stringify(value)}): give it a local value`);
  }
  return env;
}
