import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OutboxMailer } from '../../../lambda/adapters/mail/outbox-mailer.ts';

let root: string | undefined;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('OutboxMailer', () => {
  it('writes each email byte for byte as one .eml file, creating the directory', async () => {
    // Prepare
    root = await mkdtemp(join(tmpdir(), 'outbox-'));
    const dir = join(root, 'nested', 'outbox');
    const mailer = new OutboxMailer(dir);
    const raw = Buffer.from('Subject: =?UTF-8?B?5a6H5a6Z?=\r\n\r\n\xff binary-safe\r\n', 'latin1');

    // Act
    const { messageId } = await mailer.send({ from: 'a@example.com', to: 'b@example.com', raw });

    // Assess
    const files = await readdir(dir);
    expect(files).toEqual([`${messageId}.eml`]);
    expect((await readFile(join(dir, files[0]!))).equals(raw)).toBe(true);
  });

  it('names files so they sort in sending order', async () => {
    root = await mkdtemp(join(tmpdir(), 'outbox-'));
    const mailer = new OutboxMailer(root);

    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await mailer.send({ from: 'a@example.com', to: 'b@example.com', raw: Buffer.from(`n=${i}`) })).messageId);
    }

    const files = (await readdir(root)).sort();
    expect(files).toEqual(ids.map((id) => `${id}.eml`));
    const bodies = await Promise.all(files.map((f) => readFile(join(root!, f), 'utf8')));
    expect(bodies).toEqual(['n=0', 'n=1', 'n=2', 'n=3', 'n=4']);
  });
});
