import { openStore } from '../../adapters/dynamodb/open-store.ts';
import { feedOverview } from '../../app/feed-overview.ts';
import { loadConfigFile } from '../../adapters/config/load-config.ts';
import { EXIT_CONFIG, EXIT_OK, type CliIo } from '../io.ts';
import { parseNow, UsageError } from './cycle-options.ts';

/** `newshound feeds`: each feed's health from the store; fetches nothing. */
export async function feedsCommand(options: { config: string; data: string; now?: string }, io: CliIo): Promise<number> {
  let now: Date;
  try {
    now = parseNow(options.now) ?? new Date();
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`newshound feeds: ${err.message}`);
    return EXIT_CONFIG;
  }
  const config = loadConfigFile(options.config);
  const opened = await openStore({ dataDir: options.data, env: io.env, clock: { now: () => now } });
  try {
    io.stdout((await feedOverview(opened.store, config, now)).join('\n'));
    return EXIT_OK;
  } finally {
    await opened.close();
  }
}
