import { HttpFeedFetcher } from '../adapters/http/http-feed-fetcher.ts';
import { OutboxMailer } from '../adapters/mail/outbox-mailer.ts';
import { SesMailer } from '../adapters/mail/ses-mailer.ts';
import { openStore } from '../adapters/dynamodb/open-store.ts';
import { currentProcess, isProvablyDead } from '../adapters/process/process-identity.ts';
import type { Config } from '../core/config/schema.ts';
import type { Clock } from '../core/ports/clock.ts';
import type { Mailer } from '../core/ports/mailer.ts';
import type { CycleLog } from '../app/cycle-log.ts';
import { localTokenKey } from '../adapters/secrets/local-token-key.ts';
import type { CycleDeps } from '../app/run-cycle.ts';
import type { Store } from '../core/ports/store.ts';

export type MailMode = 'outbox' | 'ses';

export interface LocalCycleOptions {
  config: Config;
  dataDir: string;
  outboxDir: string;
  mail: MailMode;
  clock: Clock;
  env: NodeJS.ProcessEnv;
  log?: CycleLog;
}

export interface LocalCycle {
  deps: CycleDeps;
  /** The whole store (the pages of `up` use its subscriber side too). */
  store: Store;
  close(): Promise<void>;
}

/**
 * The cycle's ports for the CLI: the embedded store under the data directory (or NEWSHOUND_TABLE),
 * the HTTP fetcher, the outbox or SES mailer, the local token key. close() stops the embedded engine.
 */
export async function openLocalCycle(options: LocalCycleOptions): Promise<LocalCycle> {
  const opened = await openStore({ dataDir: options.dataDir, env: options.env, clock: options.clock });
  try {
    const mailer: Mailer =
      options.mail === 'ses'
        ? new SesMailer({ configurationSet: options.env.NEWSHOUND_SES_CONFIGURATION_SET || undefined })
        : new OutboxMailer(options.outboxDir);
    const deps: CycleDeps = {
      store: opened.store,
      fetcher: new HttpFeedFetcher(),
      mailer,
      clock: options.clock,
      config: options.config,
      tokenKey: localTokenKey(options.dataDir, options.env),
      processProbe: { self: currentProcess, isDead: isProvablyDead },
      ...(options.log ? { log: options.log } : {}),
    };
    return { deps, store: opened.store, close: () => opened.close() };
  } catch (err) {
    await opened.close();
    throw err;
  }
}
