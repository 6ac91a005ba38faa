import type { CliIo } from '../io.ts';
import type { CycleCliOptions } from './cycle-options.ts';
import { upCommand } from './up.ts';

/**
 * `newshound watch`: `up` without the subscription pages (README, "One process for everything"):
 * due feeds polled on their own schedules, due digests sent every tick, until SIGINT/SIGTERM.
 */
export function watchCommand(options: CycleCliOptions & { tick: string }, io: CliIo): Promise<number> {
  return upCommand({ ...options, pages: false, port: '0', host: '127.0.0.1' }, io);
}
