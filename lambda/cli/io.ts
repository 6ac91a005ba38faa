/** What a command may touch of the process: injectable so tests can drive commands in-process. */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

export const processIo: CliIo = {
  stdin: process.stdin,
  stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  env: process.env,
};

/** Exit statuses (docs/cli.md, "Exit codes"). `match` adds its own grep-like 0/1/2. */
export const EXIT_OK = 0;
/** Anything unexpected; the message says what. */
export const EXIT_FATAL = 1;
/** An invalid configuration file or option value: nothing was fetched, stored or sent. */
export const EXIT_CONFIG = 2;
/** The command line does not parse (no command, unknown command or option, missing argument): sysexits' EX_USAGE. */
export const EXIT_USAGE = 64;
/** A resource the command needs is taken or refused, e.g. `serve`'s port: sysexits' EX_UNAVAILABLE. */
export const EXIT_UNAVAILABLE = 69;
/** The cycle did not run because another one holds the lock and is alive: try again later (EX_TEMPFAIL). */
export const EXIT_BUSY = 75;
/** A data or outbox directory cannot be created or written (EX_CANTCREAT). */
export const EXIT_CANT_CREATE = 73;
