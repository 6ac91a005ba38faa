import type { Logger } from '@aws-lambda-powertools/logger';
import { z } from 'zod';
import { loadConfigFile } from '../../adapters/config/load-config.ts';
import type { CycleLog } from '../../app/cycle-log.ts';
import type { Config } from '../../core/config/schema.ts';
import { ENV, requireEnv, taskPath } from '../env.ts';

// What the scheduled and queue-driven functions share: their trigger's input, the bundled config,
// the services' log over Powertools, and a cold-start builder that is retried after a failure.

/** The scheduler's input (lib/newshound-stack.ts); a manual test invocation may send `{}`. */
export const scheduledEventSchema = z.looseObject({
  source: z.string().optional(),
  scheduledTime: z.string().optional(),
  executionId: z.string().optional(),
});

/** The validated config the stack bundled next to the handler (NEWSHOUND_CONFIG_PATH), and its path. */
export function deployedConfig(): { config: Config; path: string } {
  const path = taskPath(requireEnv(ENV.configPath));
  return { config: loadConfigFile(path), path };
}

/** The services' few log calls as Powertools log lines (the Lambda context is on each). */
export function cycleLog(logger: Logger): CycleLog {
  return {
    info: (message, fields) => logger.info(message, fields ?? {}),
    warn: (message, fields) => logger.warn(message, fields ?? {}),
    error: (message, fields) => logger.error(message, fields ?? {}),
  };
}

/**
 * Builds once per execution environment, on first use. A failed build (a missing variable, Secrets
 * Manager unreachable) is forgotten, so the next invocation tries again instead of failing forever.
 */
export function once<T>(build: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => {
    if (cached) return cached;
    const building = build();
    cached = building;
    building.catch(() => {
      if (cached === building) cached = undefined;
    });
    return building;
  };
}

/** Seconds a lease may outlive this invocation by: a little, never a whole run. */
export function leaseSeconds(context: { getRemainingTimeInMillis?: () => number } | undefined, fallbackMs = 60_000): number {
  const remaining = context?.getRemainingTimeInMillis?.() ?? fallbackMs;
  return Math.ceil(remaining / 1000) + 30;
}
