import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../e2e/support/cli.ts';

// The command line's own conventions (docs/cli.md), as a user
// meets them: the real CLI in a child process.

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const EXIT_USAGE = 64;

describe('the newshound command line', () => {
  it('prints the package version for --version and -V, exit 0', async () => {
    // Act
    const long = await runCli(['--version']);
    const short = await runCli(['-V']);
    // Assess
    expect(long).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    expect(short).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  it('prints the help on stdout for --help and `help`, exit 0', async () => {
    // Act
    const flag = await runCli(['--help']);
    const word = await runCli(['help']);
    // Assess
    for (const result of [flag, word]) {
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: newshound/);
      expect(result.stdout).toContain('--version');
      expect(result.stderr).toBe('');
    }
  });

  it('answers a bare `newshound` with the help on stderr and the usage exit code, printing nothing on stdout', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Usage: newshound/);
  });

  it('answers an unknown command or option with one line, a pointer to --help and the usage exit code', async () => {
    // Act
    const command = await runCli(['poll']);
    const option = await runCli(['feeds', '--colour']);
    // Assess
    expect(command.code).toBe(EXIT_USAGE);
    expect(command.stderr).toContain("unknown command 'poll'");
    expect(option.code).toBe(EXIT_USAGE);
    expect(option.stderr).toContain("unknown option '--colour'");
    expect(option.stderr).toContain('newshound feeds --help');
    expect(option.stdout).toBe('');
  });
});
