import { isAbsolute, resolve } from 'node:path';

// Read once at cold start: a missing variable is a deployment bug, so it fails the first invocation
// loudly (and the Errors alarm fires) instead of surfacing later as an odd runtime error.

/** Thrown at cold start when the stack did not give the function a variable it needs. */
class MissingEnvError extends Error {
  override readonly name = 'MissingEnvError';
  constructor(readonly variable: string) {
    super(`environment variable ${variable} is not set`);
  }
}

/** The variable's value; throws MissingEnvError when it is unset or empty. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '') throw new MissingEnvError(name);
  return value;
}

/** The variable's value, or `fallback` when it is unset or empty. */
export function optionalEnv(name: string, fallback: string, env?: NodeJS.ProcessEnv): string;
export function optionalEnv(name: string, fallback?: undefined, env?: NodeJS.ProcessEnv): string | undefined;
export function optionalEnv(name: string, fallback?: string, env?: NodeJS.ProcessEnv): string | undefined {
  env ??= process.env;
  const value = env[name];
  return value === undefined || value === '' ? fallback : value;
}

/**
 * Resolves a path the stack gave relative to the bundle (e.g. `config.json`, copied next to
 * index.mjs at bundling time). Lambda sets LAMBDA_TASK_ROOT to the bundle directory; a plain Node
 * process that loads the bundle (tests, benches) sets it the same way.
 */
export function taskPath(path: string, env: NodeJS.ProcessEnv = process.env): string {
  if (isAbsolute(path)) return path;
  return resolve(env.LAMBDA_TASK_ROOT ?? process.cwd(), path);
}

/** The names of the variables the stack sets; one place so handlers and the stack agree. */
export const ENV = {
  /** DynamoDB table name (the store uses it when set: docs/behaviour.md, Storage). */
  table: 'NEWSHOUND_TABLE',
  /** The validated configuration, as JSON, relative to the bundle. */
  configPath: 'NEWSHOUND_CONFIG_PATH',
  /** Secrets Manager ARN of the unsubscribe-token signing key. */
  secretArn: 'NEWSHOUND_SECRET_ARN',
  /** SES configuration set every message is sent through (reputation metrics, bounce events). */
  sesConfigurationSet: 'NEWSHOUND_SES_CONFIGURATION_SET',
  /** Base URL of unsubscribe/manage links: mail.publicUrl, or the HTTP API's URL when unset. */
  publicUrl: 'NEWSHOUND_PUBLIC_URL',
  /**
   * Base of the WebSub callback URLs the functions that poll give hubs (`<base>/<callback id>`):
   * websub.callbackUrl, or the HTTP API's URL + `/websub` when unset (docs/deploy.md).
   */
  websubCallbackUrl: 'NEWSHOUND_WEBSUB_CALLBACK_URL',
  /** URL of the SQS queue of feed jobs the dispatcher fills and the worker consumes. */
  feedQueueUrl: 'NEWSHOUND_FEED_QUEUE_URL',
  /** `alarms` (default) or `full`: which custom metrics the functions emit (`-c metrics=...`). */
  metrics: 'NEWSHOUND_METRICS',
} as const;
