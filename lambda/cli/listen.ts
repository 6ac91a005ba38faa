import { UsageError } from './commands/cycle-options.ts';

// Listening on a port: `serve` and `up` take the same --port and fail the same way.

export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got ${JSON.stringify(value)}`);
  return port;
}

/**
 * The listen failures a user can fix (docs/cli.md, "Exit codes": 69), in one line saying what to
 * do; undefined for anything else, which stays a fatal error.
 */
export function listenProblem(err: unknown, host: string, port: number): string | undefined {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  switch ((err as NodeJS.ErrnoException | undefined)?.code) {
    case 'EADDRINUSE':
      return `${where} is already in use (another server is listening there); stop it or choose another port with --port`;
    case 'EACCES':
      return `not allowed to listen on ${where} (ports below 1024 need privileges); choose another port with --port`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${where}: ${host} is not an address of this machine; choose another with --host`;
    default:
      return undefined;
  }
}
