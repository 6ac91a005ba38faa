import { randomBytes } from 'node:crypto';
import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mailer, OutgoingMessage } from '../../core/ports/mailer.ts';
import { messageBytes } from './build-mime.ts';

let sequence = 0;

/**
 * The local mailer: each email becomes one `.eml` file holding exactly the bytes SES SendRawEmail
 * would get (the same composer), written under a temporary name and renamed, so a reader never sees half an email.
 *
 * Exactly once per delivery id: a digest's file is named by its delivery id (the claim time, then
 * the digest id, so names sort in sending order and follow `--now`), and an existing file means that
 * digest was delivered. A cycle that died inside a send repeats it, and only the missing file is
 * written. Mail without a delivery id (confirmation links) gets a unique name from the wall clock.
 */
export class OutboxMailer implements Mailer {
  readonly idempotent = true;

  constructor(private readonly dir: string) {}

  async send(email: OutgoingMessage): Promise<{ messageId: string }> {
    await mkdir(this.dir, { recursive: true });
    const messageId = email.deliveryId ?? uniqueName();
    const path = join(this.dir, `${messageId}.eml`);
    if (email.deliveryId !== undefined && (await exists(path))) return { messageId };
    // Named by the message alone: a send cut short by a kill leaves this file, and the retry of the
    // same delivery (the next cycle resumes it) writes over it and renames it, leaving nothing behind.
    const partial = join(this.dir, `.${messageId}.eml.tmp`);
    await writeFile(partial, await messageBytes(email));
    await rename(partial, path);
    return { messageId };
  }
}

function uniqueName(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('.', '');
  sequence = (sequence + 1) % 10000;
  return `${stamp}-${String(sequence).padStart(4, '0')}-${randomBytes(4).toString('hex')}`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
