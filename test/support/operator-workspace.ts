import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { stringify } from 'yaml';
import { afterAll, beforeAll } from 'vitest';
import { main } from '../../lambda/cli/main.ts';

/**
 * A temp directory with a config (two topics, one config-file subscriber, plus any `extra` keys)
 * and the CLI driven in-process over its embedded store; registers its own setup and cleanup in
 * the calling describe. Shared by the operator-command suites (subscribers, alerts).
 */
export function operatorWorkspace(prefix: string, listed: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  let dir = '';
  const paths = () => ({ config: join(dir, 'newshound.yaml'), data: join(dir, 'data') });
  const cli = async (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await main([...args, '--config', paths().config, '--data', paths().data], {
      stdin: Readable.from([]),
      stdout: (s) => (stdout += s.endsWith('\n') ? s : `${s}\n`),
      stderr: (s) => (stderr += s.endsWith('\n') ? s : `${s}\n`),
      env: { NEWSHOUND_TABLE: '' },
    });
    return { code, stdout, stderr };
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    await writeFile(
      paths().config,
      stringify({
        feeds: [{ url: 'https://news.example/feed.xml' }],
        topics: [
          { id: 'jaxa', name: 'Attacks on JAXA', query: 'JAXA' },
          { id: 'tick', name: 'Tick', query: '=Tick' },
        ],
        subscribers: [listed],
        mail: { from: 'alerts@example.com' },
        ...extra,
      }),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return { cli, data: () => paths().data };
}
