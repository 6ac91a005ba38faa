import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../e2e/support/cli.ts';

// `newshound check` as a user runs it: the real CLI in a child process.

describe('newshound check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'newshound-check-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('validates the shipped config and lists its topics with their queries', async () => {
    // Act
    const result = await runCli(['check']);
    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/newshound\.yaml: OK — 10 feeds, 3 topics, 1 subscriber\n/);
    expect(result.stdout).toContain('pla-unit-61419  PLA Unit 61419');
    expect(result.stdout).toContain('tick-group  Tick / BRONZE BUTLER');
    expect(result.stdout).toContain('jaxa-intrusions  Attacks on JAXA');
  });

  it('exits 2 naming the topic whose query does not parse, and where', async () => {
    // Prepare
    const config = join(dir, 'broken.yaml');
    writeFileSync(
      config,
      ['feeds:', '  - url: https://example.com/feed', 'topics:', '  - id: jaxa', '    name: JAXA', '    query: \'(JAXA OR\'', 'mail:', '  from: a@example.com', ''].join('\n'),
    );
    // Act
    const result = await runCli(['check', '--config', config]);
    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(config);
    expect(result.stderr).toMatch(/topics\[0\]\.query \(topic "jaxa"\): .*at \d+/);
  });
});
