import { Command, CommanderError } from 'commander';
import { ConfigError } from '../core/config/config-error.ts';
import { addCycleOptions, type CycleCliOptions } from './commands/cycle-options.ts';
import { EXIT_CONFIG, EXIT_FATAL, processIo, type CliIo } from './io.ts';

const DEFAULT_CONFIG = './newshound.yaml';

/** Builds the `newshound` program; each action stores its exit status in `result.code`. */
function buildProgram(io: CliIo, result: { code: number }): Command {
  const program = new Command('newshound')
    .description('Polls news feeds, matches topics, and emails each subscriber a digest once per story.')
    .exitOverride()
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
    program.command('watch').description('run a cycle every schedule.pollMinutes until interrupted (self-hosted mode)'),
  ).action(async (opts: CycleCliOptions) => {
    const { watchCommand } = await import('./commands/watch.ts');
    result.code = await watchCommand(opts, io);
  });

  program
    .command('feeds')
    .description("each feed's health: last success, consecutive failures, last error, items per day; flags")
    .option('--config <file>', 'configuration file', DEFAULT_CONFIG)
    .option('--data <dir>', 'data directory of the embedded store', './.newshound')
    .option('--now <iso8601>', 'judge health as of this time')
    .action(async (opts: { config: string; data: string; now?: string }) => {
      const { feedsCommand } = await import('./commands/feeds.ts');
      result.code = await feedsCommand(opts, io);
    });

  program
    .command('match')
    .description('test a query against TEXT (or stdin); exit 0 matched, 1 not matched, 2 bad query')
    .argument('<query>', 'the query, e.g. \'"Unit 61419" OR =Tick\'')
    .argument('[text]', 'text to match; read from stdin when omitted')
    .action(async (query: string, text: string | undefined) => {
      const { matchCommand } = await import('./commands/match.ts');
      result.code = await matchCommand(query, text, io);
    });

  return program;
}

/** Runs the CLI and returns the process exit status (CONTRACT §1: 0 ok, 1 fatal, 2 bad config). */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const result = { code: 0 };
  const program = buildProgram(io, result);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with exitCode 0; usage errors are config-like (2).
      return err.exitCode === 0 ? 0 : EXIT_CONFIG;
    }
    if (err instanceof ConfigError) {
      io.stderr(err.message);
      return EXIT_CONFIG;
    }
    io.stderr(`newshound: ${(err as Error).stack ?? String(err)}`);
    return EXIT_FATAL;
  }
}
