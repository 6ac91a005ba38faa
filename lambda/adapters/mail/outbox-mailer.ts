import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mailer, RawEmail } from '../../core/ports/mailer.ts';

let sequence = 0;

/**
 * The local mailer (CONTRACT §5): each email becomes one `.eml` file holding exactly the bytes SES
 * SendRawEmail would get. Names sort in sending order: wall-clock time to the millisecond, then a
 * per-process counter, then a random tag so two processes never collide. The file is written under a
 * temporary name and renamed, so a reader never sees half an email.
 */
export class OutboxMailer implements Mailer {
  constructor(private readonly dir: string) {}

  async send(email: RawEmail): Promise<{ messageId: string }> {
    await mkdir(this.dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('.', '');
    sequence = (sequence + 1) % 10000;
    const messageId = `${stamp}-${String(sequence).padStart(4, '0')}-${randomBytes(4).toString('hex')}`;
    const path = join(this.dir, `${messageId}.eml`);
    const partial = join(this.dir, `.${messageId}.eml.tmp`);
    await writeFile(partial, email.raw);
    await rename(partial, path);
    return { messageId };
  }
}
