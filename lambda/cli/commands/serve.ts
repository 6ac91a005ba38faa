import { openStore } from '../../adapters/dynamodb/open-store.ts';
import { OutboxMailer } from '../../adapters/mail/outbox-mailer.ts';
import { SesMailer } from '../../adapters/mail/ses-mailer.ts';
import { localTokenKey } from '../../adapters/secrets/local-token-key.ts';
import { compileConfigTopics } from '../../core/config/compile-config.ts';
import { loadConfigFile } from '../../adapters/config/load-config.ts';
import { systemClock } from '../../core/ports/clock.ts';
import type { Mailer } from '../../core/ports/mailer.ts';
import { RecentStoryCache } from '../../app/recent-story-cache.ts';
import { startWebServer } from '../../web/node-server.ts';
import { OnDemandStore } from '../on-demand-store.ts';
import { EXIT_CONFIG, EXIT_OK, EXIT_UNAVAILABLE, type CliIo } from '../io.ts';
import { parseMailMode, UsageError } from './cycle-options.ts';
import { listenProblem, parsePort } from '../listen.ts';
import type { MailMode } from '../local-cycle.ts';

export interface ServeCliOptions {
  port: string;
  host: string;
  config: string;
  data: string;
  outbox: string;
  mail: string;
}

/**
 * `newshound serve`: the subscription pages and API on localhost, the same handleRequest the
 * deployed HTTP API runs. Runs until SIGINT/SIGTERM. Links in emails use mail.publicUrl when set,
 * else this server's own URL.
 */
export async function serveCommand(options: ServeCliOptions, io: CliIo, stopSignal?: AbortSignal): Promise<number> {
  let mail: MailMode;
  let port: number;
  try {
    mail = parseMailMode(options.mail);
    port = parsePort(options.port);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`newshound serve: ${err.message}`);
    return EXIT_CONFIG;
  }
  const config = loadConfigFile(options.config);
  compileConfigTopics(config, options.config);

  const env = io.env;
  const mailer: Mailer = mail === 'ses' ? new SesMailer({ configurationSet: env.NEWSHOUND_SES_CONFIGURATION_SET || undefined }) : new OutboxMailer(options.outbox);
  const tokenKey = localTokenKey(options.data, env);
  // Opened on the first request and kept: the embedded engine is shared with the other commands
  // (whichever process opened the data directory first serves it to the others).
  const store = new OnDemandStore(() => openStore({ dataDir: options.data, env, waitForDataDirMs: 30_000 }), 3_600_000);

  let server: Awaited<ReturnType<typeof startWebServer>>;
  try {
    server = await startWebServer(
      (url) => ({
        config,
        store: store.store,
        mailer,
        tokenKey,
        publicUrl: (config.mail.publicUrl ?? url).replace(/\/+$/, ''),
        clock: systemClock,
        recentStories: new RecentStoryCache(store.store, systemClock),
        onError: (error) => io.stderr(`newshound serve: ${(error as Error).stack ?? String(error)}`),
      }),
      { port, host: options.host },
    );
  } catch (err) {
    const problem = listenProblem(err, options.host, port);
    if (!problem) throw err;
    await store.close();
    io.stderr(`newshound serve: ${problem}`);
    return EXIT_UNAVAILABLE;
  }
  io.stdout(`Newshound subscription pages at ${server.url}/ (mail: ${mail}${mail === 'outbox' ? ` → ${options.outbox}/` : ''}); Ctrl-C to stop.`);
  if (config.mail.publicUrl) io.stdout(`Links in emails point at mail.publicUrl: ${config.mail.publicUrl}`);

  await new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
    stopSignal?.addEventListener('abort', done, { once: true });
  });
  await server.close();
  await store.close();
  return EXIT_OK;
}
