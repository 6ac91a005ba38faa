import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../core/config/config-error.ts';
import { addCycleOptions, type CycleCliOptions } from './commands/cycle-options.ts';
import { DataDirBusyError } from '../adapters/dynamodb/data-dir-lock.ts';
import { EXIT_BUSY, EXIT_CANT_CREATE, EXIT_CONFIG, EXIT_FATAL, EXIT_USAGE, processIo, type CliIo } from './io.ts';

const DEFAULT_CONFIG = './newshound.yaml';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Builds the `newshound` program; each action stores its exit status in `result.code`. */
function buildProgram(io: CliIo, result: { code: number }): Command {
  const program = new Command('newshound')
    .description('Polls news feeds, matches topics, and emails each subscriber a digest once per story.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    // `feeds add URL --config F`: options after a subcommand belong to it, not to `feeds`.
    .enablePositionalOptions()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });

  program
    .command('check')
    .description('validate the config, compile every query, print the topics')
    .option('--config <file>', 'configuration file', DEFAULT_CONFIG)
    .action(async (opts: { config: string }) => {
      const { checkCommand } = await import('./commands/check.ts');
      result.code = await checkCommand(opts, io);
    });

  addCycleOptions(
    program.command('run').description('one cycle: poll every feed, match, record hits, send every digest that is due'),
  ).action(async (opts: CycleCliOptions) => {
    const { runCommand } = await import('./commands/run.ts');
    result.code = await runCommand(opts, io);
  });

  addCycleOptions(
    program
      .command('watch')
      .description('`up` without the pages: poll due feeds on their own schedules and send due digests until interrupted')
      .option('--tick <seconds>', 'seconds between dispatches and between sender runs', '60'),
  ).action(async (opts: CycleCliOptions & { tick: string }) => {
    const { watchCommand } = await import('./commands/watch.ts');
    result.code = await watchCommand(opts, io);
  });

  addCycleOptions(
    program
      .command('up')
      .description('one long-lived process: dispatch due feeds, poll them with bounded concurrency, send due digests, serve the pages')
      .option('--port <n>', 'port of the subscription pages (0: any free port)', '8787')
      .option('--host <address>', 'address to listen on', '127.0.0.1')
      .option('--tick <seconds>', 'seconds between dispatches and between sender runs', '60'),
  ).action(async (opts: Omit<import('./commands/up.ts').UpCliOptions, 'pages'>) => {
    const { upCommand } = await import('./commands/up.ts');
    result.code = await upCommand({ ...opts, pages: true }, io);
  });

  const feeds = program
    .command('feeds')
    .enablePositionalOptions()
    .description("each feed's health: last success, consecutive failures, last error, items per day, polling interval and why; flags")
    .option('--config <file>', 'configuration file', DEFAULT_CONFIG)
    .option('--data <dir>', 'data directory of the embedded store', './.newshound')
    .option('--now <iso8601>', 'judge health as of this time')
    .action(async (opts: { config: string; data: string; now?: string }) => {
      const { feedsCommand } = await import('./commands/feeds.ts');
      result.code = await feedsCommand(opts, io);
    });
  feeds
    .command('add')
    .description('poll a feed beside those in the config file, from the next dispatch on (no redeploy)')
    .argument('<url>', 'the feed URL (http or https)')
    .option('--name <name>', 'source name shown in digests (default: the feed\'s own title)')
    .option('--config <file>', 'configuration file', DEFAULT_CONFIG)
    .option('--data <dir>', 'data directory of the embedded store', './.newshound')
    .action(async (url: string, opts: { config: string; data: string; name?: string }) => {
      const { addFeedCommand } = await import('./commands/feeds-edit.ts');
      result.code = await addFeedCommand(url, opts, io);
    });
  feeds
    .command('remove')
    .description('stop polling a feed (added, or listed in the config file)')
    .argument('<url>', 'the feed URL')
    .option('--config <file>', 'configuration file', DEFAULT_CONFIG)
    .option('--data <dir>', 'data directory of the embedded store', './.newshound')
    .action(async (url: string, opts: { config: string; data: string }) => {
      const { removeFeedCommand } = await import('./commands/feeds-edit.ts');
      result.code = await removeFeedCommand(url, opts, io);
    });

  program
    .command('match')
    .description('test a query against TEXT (or stdin); exit 0 matched, 1 not matched, 2 bad query (64: bad usage)')
    .argument('<query>', 'the query, e.g. \'"Unit 61419" OR =Tick\'')
    .argument('[text]', 'text to match; read from stdin when omitted')
    .action(async (query: string, text: string | undefined) => {
      const { matchCommand } = await import('./commands/match.ts');
      result.code = await matchCommand(query, text, io);
    });

  program
    .command('serve')
    .description('the subscription web pages and API on localhost (the handler the stack deploys); GET / subscribes')
    .option('--port <n>', 'port to listen on (0: any free port)', '8787')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--config <file>', 'configuration file', DEFAULT_CONFIG)
    .option('--data <dir>', 'data directory of the embedded store (unused with NEWSHOUND_TABLE)', './.newshound')
    .option('--outbox <dir>', 'where the outbox mailer writes .eml files', './outbox')
    .option('--mail <mode>', 'outbox | ses', 'outbox')
    .action(async (opts: import('./commands/serve.ts').ServeCliOptions) => {
      const { serveCommand } = await import('./commands/serve.ts');
      result.code = await serveCommand(opts, io);
    });

  const subscribers = program.command('subscribers').description('list, add, remove or export subscribers in the configured store');
  const storeOptions = (command: Command): Command =>
    command
      .option('--config <file>', 'configuration file', DEFAULT_CONFIG)
      .option('--data <dir>', 'data directory of the embedded store (unused with NEWSHOUND_TABLE)', './.newshound');
  storeOptions(subscribers.command('list').description('every subscriber: email, status, source, frequency, time zone, topics')).action(
    async (opts: { config: string; data: string }) => {
      const { listSubscribersCommand } = await import('./commands/subscribers.ts');
      result.code = await listSubscribersCommand(opts, io);
    },
  );
  storeOptions(subscribers.command('export').description('every subscriber as CSV or JSON lines on stdout'))
    .option('--format <format>', 'csv | jsonl', 'csv')
    .action(async (opts: { config: string; data: string; format: string }) => {
      const { exportSubscribersCommand } = await import('./commands/subscribers.ts');
      result.code = await exportSubscribersCommand(opts, io);
    });
  storeOptions(subscribers.command('add').description('add or update an address as active (an operator action: no confirmation email)'))
    .argument('<email>', 'the address')
    .requiredOption('--topics <ids>', 'comma-separated topic ids')
    .option('--frequency <f>', 'immediate | hourly | daily', 'immediate')
    .option('--timezone <zone>', 'IANA time zone for daily digests', 'UTC')
    .option('--force', 're-activate an unsubscribed address (only with the recipient\'s consent; a suppressed one never)')
    .action(async (email: string, opts: import('./commands/subscribers.ts').AddSubscriberOptions) => {
      const { addSubscriberCommand } = await import('./commands/subscribers.ts');
      result.code = await addSubscriberCommand(email, opts, io);
    });
  storeOptions(subscribers.command('remove').description('mark an address unsubscribed (--delete: forget it entirely)'))
    .argument('<email>', 'the address')
    .option('--delete', 'delete the record instead of marking it unsubscribed')
    .action(async (email: string, opts: { config: string; data: string; delete?: boolean }) => {
      const { removeSubscriberCommand } = await import('./commands/subscribers.ts');
      result.code = await removeSubscriberCommand(email, opts, io);
    });

  const alerts = program.command('alerts').description("list or remove subscribers' personal alerts in the configured store");
  storeOptions(alerts.command('list').description("every personal alert (or one address's): id, email, name, query, frequency, state"))
    .option('--email <address>', "only this subscriber's alerts")
    .action(async (opts: { config: string; data: string; email?: string }) => {
      const { listAlertsCommand } = await import('./commands/alerts.ts');
      result.code = await listAlertsCommand(opts, io);
    });
  storeOptions(alerts.command('remove').description('delete one personal alert from the profile that holds it'))
    .argument('<id>', 'the alert id, as `alerts list` shows it')
    .action(async (id: string, opts: { config: string; data: string }) => {
      const { removeAlertCommand } = await import('./commands/alerts.ts');
      result.code = await removeAlertCommand(id, opts, io);
    });

  // A usage error names the problem in one line, then where to read more (not the whole help).
  for (const command of withSubcommands(program)) command.showHelpAfterError(`(see "${commandPath(command)} --help")`);
  program.commands
    .find((c) => c.name() === 'match')
    ?.showHelpAfterError('(a query or text that starts with "--" goes after "--": newshound match -- QUERY [TEXT]; see "newshound match --help")');
  return program;
}

function withSubcommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(withSubcommands)];
}

function commandPath(command: Command): string {
  return command.parent ? `${commandPath(command.parent)} ${command.name()}` : command.name();
}

/**
 * `match` takes no option but --help, and a query may start with "-" (negation: `-sports JAXA`),
 * which commander would read as an unknown short option. So from the first `match` argument that
 * starts with a single "-", everything is an operand (a "--" is put before it); an argument
 * starting with "--" stays an option, and an unknown one is a usage error (docs/cli.md).
 */
function matchOperands(argv: readonly string[]): string[] {
  if (argv[0] !== 'match') return [...argv];
  const first = argv.findIndex((arg, i) => i > 0 && (arg === '--' || /^-[^-]/.test(arg)));
  if (first < 0 || argv[first] === '--' || argv[first] === '-h') return [...argv];
  return [...argv.slice(0, first), '--', ...argv.slice(first)];
}

/**
 * Failures a user can fix, as one line saying what happened and what to do, with their exit code
 * (docs/cli.md, "Exit codes"); undefined for anything else, which keeps its stack trace. `--debug`
 * or NEWSHOUND_DEBUG=1 shows the stack of these too.
 */
function ordinaryFailure(err: unknown): { message: string; code: number } | undefined {
  const error = err as NodeJS.ErrnoException & { path?: string };
  if (error instanceof DataDirBusyError) return { message: error.message, code: EXIT_BUSY };
  if (['ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EEXIST'].includes(error?.code ?? '') && error.path) {
    return { message: `cannot use ${error.path} (${error.message.split(',')[0]}); choose another --data or --outbox directory, or fix its permissions`, code: EXIT_CANT_CREATE };
  }
  if (/Region is missing/i.test(error?.message ?? '')) {
    return { message: 'no AWS region is set for the AWS calls (NEWSHOUND_TABLE or --mail ses): set AWS_REGION, e.g. AWS_REGION=eu-west-1', code: EXIT_CONFIG };
  }
  return undefined;
}

/** Runs the CLI and returns the process exit status (docs/cli.md, "Exit codes"). */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const result = { code: 0 };
  const program = buildProgram(io, result);
  try {
    // --debug may stand anywhere on the line; it only changes how failures are printed.
    await program.parseAsync(matchOperands(argv.filter((arg) => arg !== '--debug')), { from: 'user' });
    return result.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help, `help` and --version end here with exitCode 0. Everything else commander refuses
      // (no command, unknown command or option, missing argument) is a usage error with its own
      // code, so it never looks like a bad config or, for `match`, a bad query.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (err instanceof ConfigError) {
      io.stderr(err.message);
      return EXIT_CONFIG;
    }
    const debug = argv.includes('--debug') || io.env.NEWSHOUND_DEBUG === '1';
    const ordinary = ordinaryFailure(err);
    if (ordinary && !debug) {
      io.stderr(`newshound: ${ordinary.message}`);
      return ordinary.code;
    }
    io.stderr(`newshound: ${(err as Error).stack ?? String(err)}`);
    return ordinary?.code ?? EXIT_FATAL;
  }
}
