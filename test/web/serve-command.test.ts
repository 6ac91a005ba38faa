import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox } from '../e2e/support/outbox.ts';
import { ROOT, runCli } from '../e2e/support/cli.ts';

const BIN = join(ROOT, 'bin/newshound.mjs');

// `newshound serve` as a user starts it: a child process, the embedded store, the outbox mailer.
describe('newshound serve', () => {
  let dir: string;
  let child: ReturnType<typeof spawn>;
  let url: string;
  let exited: Promise<number | null>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newshound-serve-'));
    const config = join(dir, 'newshound.yaml');
    await writeFile(
      config,
      stringify({
        feeds: [{ url: 'https://news.example/feed.xml' }],
        topics: [{ id: 'jaxa', name: 'Attacks on JAXA', query: 'JAXA' }],
        mail: { from: 'alerts@example.com' },
      }),
    );
    child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--config', config, '--data', join(dir, 'data'), '--outbox', join(dir, 'outbox')], {
      cwd: ROOT,
      env: { ...process.env, NEWSHOUND_TABLE: '', NEWSHOUND_SECRET: 'serve-test-key' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
        if (found) resolve(found[1]!);
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code} before listening: ${out}`)));
    });
  });
  afterAll(async () => {
    child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the subscribe page at the URL it prints', async () => {
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Attacks on JAXA');
  });

  it('links the confirmation email back to itself when mail.publicUrl is unset', async () => {
    // Act
    const response = await fetch(`${url}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=reader%40example.com&topics=jaxa&frequency=immediate&timezone=UTC',
    });
    // Assess
    expect(response.status).toBe(200);
    const [mail] = await readOutbox(join(dir, 'outbox'));
    expect(mail!.text).toContain(`${url}/confirm?token=`);
  });

  it('stops cleanly on SIGTERM', async () => {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('newshound serve on a port that is taken', () => {
  it('says so in one line, without a stack trace, and exits 69', async () => {
    // Prepare: another server holds the port
    const dir = await mkdtemp(join(tmpdir(), 'newshound-serve-busy-'));
    const config = join(dir, 'newshound.yaml');
    await writeFile(config, stringify({ feeds: [{ url: 'https://news.example/feed.xml' }], topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }], mail: { from: 'alerts@example.com' } }));
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      // Act
      const result = await runCli(['serve', '--port', String(port), '--config', config, '--data', join(dir, 'data'), '--outbox', join(dir, 'outbox')]);
      // Assess
      expect(result.code).toBe(69);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n')).toEqual([
        `newshound serve: 127.0.0.1:${port} is already in use (another server is listening there); stop it or choose another port with --port`,
      ]);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
