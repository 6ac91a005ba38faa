import { execFile } from 'node:child_process';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { matchCommand } from '../../lambda/cli/commands/match.ts';
import { runCli } from '../e2e/support/cli.ts';

async function run(query: string, text: string | undefined, stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await matchCommand(query, text, {
    stdin: Readable.from([Buffer.from(stdin)]),
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('newshound match', () => {
  it('prints the matched span with its offsets and exits 0', async () => {
    // Act
    const result = await run('"Unit 61419" OR =Tick', 'Police tie the attack to Unit 61419');
    // Assess
    expect(result.code).toBe(0);
    expect(result.out).toContain('"Unit 61419"  25-35  Police tie the attack to [Unit 61419]');
  });

  it('reads stdin when no text is given, and normalizes it first', async () => {
    // Act
    const result = await run('JAXA', undefined, 'ＪＡＸＡに対するサイバー攻撃\n');
    // Assess
    expect(result.code).toBe(0);
    expect(result.out).toContain('JAXA  0-4  [JAXA]に対するサイバー攻撃');
  });

  it('exits 1 and says so when the text does not match', async () => {
    const result = await run('=Tick', 'a tick on the clock');
    expect(result).toMatchObject({ code: 1, out: 'no match' });
  });

  it('exits 2 with the position and reason when the query does not parse', async () => {
    // Act
    const result = await run('JAXA OR (NASA', 'JAXA');
    // Assess
    expect(result.code).toBe(2);
    expect(result.err).toContain('at 13: expected ")"');
    expect(result.err).toContain(`  JAXA OR (NASA\n  ${' '.repeat(13)}^`);
  });

  it('shows a long text as a window around the span, on one line', async () => {
    // Act
    const result = await run('JAXA', `${'x '.repeat(50)}JAXA\n${'y '.repeat(50)}`);
    // Assess
    expect(result.out).toMatch(/JAXA {2}100-104 {2}…[x ]+\[JAXA\] [y ]+…$/u);
  });

  it('works end to end through bin/newshound.mjs', async () => {
    // Act
    const { stdout } = await promisify(execFile)('node', ['bin/newshound.mjs', 'match', '"Unit 61419" OR =Tick', 'Police tie the attack to Unit 61419']);
    // Assess
    expect(stdout).toContain('[Unit 61419]');
  });
});

describe('newshound match with a query that starts with "-"', () => {
  it('takes a negated first term as the query, with no "--" needed', async () => {
    // Act
    const matched = await runCli(['match', '-sports JAXA', 'JAXA news']);
    const excluded = await runCli(['match', '-sports JAXA', 'JAXA sports news']);
    // Assess
    expect(matched.code, matched.stderr).toBe(0);
    expect(matched.stdout).toContain('JAXA  0-4  [JAXA] news');
    expect(excluded).toMatchObject({ code: 1, stdout: 'no match\n' });
  });

  it('still accepts the query after "--"', async () => {
    const result = await runCli(['match', '--', '-sports JAXA', 'JAXA news']);
    expect(result.code, result.stderr).toBe(0);
  });

  it('tells a mistyped option (usage exit code) from a query that does not parse (exit 2)', async () => {
    // Act
    const option = await runCli(['match', '--colour', 'JAXA', 'JAXA news']);
    const query = await runCli(['match', 'JAXA OR (', 'JAXA news']);
    // Assess
    expect(option.code).toBe(64);
    expect(option.stderr).toContain("unknown option '--colour'");
    expect(option.stderr).toContain('newshound match -- QUERY');
    expect(query.code).toBe(2);
    expect(query.stderr).toContain('the query does not parse');
  });
});

describe('newshound match on hostile text', () => {
  it('prints the matched window with escape sequences and bidi controls neutralised', async () => {
    // Act: text as it might be piped in from a feed item
    const result = await run('JAXA', 'JAXA \u202Egnp.exe\u202C \u001b[2J\u2066x\u2069');
    // Assess
    expect(result.code).toBe(0);
    expect(result.out).toContain('[JAXA]  gnp.exe');
    expect(result.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u);
  });
});
