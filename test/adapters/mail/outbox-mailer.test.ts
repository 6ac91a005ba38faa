import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { OutboxMailer } from '../../../lambda/adapters/mail/outbox-mailer.ts';
import type { OutgoingMessage } from '../../../lambda/core/ports/mailer.ts';

const message = (subject: string): OutgoingMessage => ({
  from: 'a@example.com',
  to: 'b@example.com',
  date: new Date('2026-03-02T00:00:00Z'),
  content: { subject, text: `body of ${subject}`, html: `<p>body of ${subject}</p>`, headers: {} },
});

let root: string | undefined;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('OutboxMailer', () => {
  it('writes each email as one .eml file a mail client reads, creating the directory', async () => {
    // Prepare
    root = await mkdtemp(join(tmpdir(), 'outbox-'));
    const dir = join(root, 'nested', 'outbox');
    const mailer = new OutboxMailer(dir);

    // Act
    const { messageId } = await mailer.send(message('宇宙 ÿ binary-safe'));

    // Assess
    const files = await readdir(dir);
    expect(files).toEqual([`${messageId}.eml`]);
    const mail = await simpleParser(await readFile(join(dir, files[0]!)));
    expect(mail.subject).toBe('宇宙 ÿ binary-safe');
    expect(mail.text?.trim()).toBe('body of 宇宙 ÿ binary-safe');
    expect(mail.date?.toISOString()).toBe('2026-03-02T00:00:00.000Z');
  });

  it('delivers a message with a delivery id once, however often it is sent', async () => {
    // Prepare
    root = await mkdtemp(join(tmpdir(), 'outbox-'));
    const mailer = new OutboxMailer(root);

    // Act
    const first = await mailer.send({ ...message('first'), deliveryId: '20260302T000000000Z-abc' });
    const again = await mailer.send({ ...message('again'), deliveryId: '20260302T000000000Z-abc' });

    // Assess
    expect(await readdir(root)).toEqual(['20260302T000000000Z-abc.eml']);
    expect([first.messageId, again.messageId]).toEqual(['20260302T000000000Z-abc', '20260302T000000000Z-abc']);
    expect((await simpleParser(await readFile(join(root, '20260302T000000000Z-abc.eml')))).subject).toBe('first');
  });

  it('names files so they sort in sending order', async () => {
    root = await mkdtemp(join(tmpdir(), 'outbox-'));
    const mailer = new OutboxMailer(root);

    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await mailer.send(message(`n=${i}`))).messageId);
    }

    const files = (await readdir(root)).sort();
    expect(files).toEqual(ids.map((id) => `${id}.eml`));
    const subjects = await Promise.all(files.map(async (f) => (await simpleParser(await readFile(join(root!, f)))).subject));
    expect(subjects).toEqual(['n=0', 'n=1', 'n=2', 'n=3', 'n=4']);
  });
});
