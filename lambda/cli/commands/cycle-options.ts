import type { Command } from 'commander';
import type { MailMode } from '../local-cycle.ts';
import { loadConfigFile } from '../../adapters/config/load-config.ts';
import { compileConfigTopics } from '../../core/config/compile-config.ts';
import type { Config } from '../../core/config/schema.ts';
import { EXIT_CONFIG, type CliIo } from '../io.ts';

export interface CycleCliOptions {
  config: string;
  data: string;
  outbox: string;
  mail: string;
  now?: string;
}

/** The options `run` and `watch` share (docs/behaviour.md, Commands), with their defaults. */
export function addCycleOptions(command: Command): Command {
  return command
    .option('--config <file>', 'configuration file', './newshound.yaml')
    .option('--data <dir>', 'data directory of the embedded store (unused with NEWSHOUND_TABLE)', './.newshound')
    .option('--outbox <dir>', 'where the outbox mailer writes .eml files', './outbox')
    .option('--mail <mode>', 'outbox | ses', 'outbox')
    .option('--now <iso8601>', 'fix the clock (item age, digest schedule, email Date)');
}

/** A usage problem in the options: the CLI prints it and exits 2, like a config error. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseMailMode(mail: string): MailMode {
  if (mail === 'outbox' || mail === 'ses') return mail;
  throw new UsageError(`--mail must be outbox or ses, got ${JSON.stringify(mail)}`);
}

export function parseNow(now: string | undefined): Date | undefined {
  if (now === undefined) return undefined;
  // A date alone would silently mean midnight UTC; insist on a full timestamp.
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(now) ? new Date(now) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) throw new UsageError(`--now must be an ISO 8601 date-time (e.g. 2026-03-01T08:00:00Z), got ${JSON.stringify(now)}`);
  return at;
}

export interface PreparedCycle {
  now: Date | undefined;
  mail: MailMode;
  config: Config;
}

/**
 * What `run` and `watch` do before touching anything: check the options (a usage error is printed
 * and answered with exit 2), then load the config and compile every query (a ConfigError propagates
 * to main, exit 2). Nothing is opened, fetched or sent before this returns.
 */
export function prepareCycle(command: string, options: CycleCliOptions, io: CliIo): PreparedCycle | number {
  let now: Date | undefined;
  let mail: MailMode;
  try {
    now = parseNow(options.now);
    mail = parseMailMode(options.mail);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`newshound ${command}: ${err.message}`);
    return EXIT_CONFIG;
  }
  const config = loadConfigFile(options.config);
  // Only to check the topics' queries now: polling uses the live matcher, which adds the alerts.
  compileConfigTopics(config, options.config);
  return { now, mail, config };
}
