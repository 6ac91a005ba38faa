import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LOCAL_SECRET_FILE = 'secret.key';

/**
 * The token signing key for local runs (`run`, `watch`, `serve`): NEWSHOUND_SECRET when set, else a
 * random key generated on first use and kept in `<dataDir>/secret.key` (mode 0600), so links in
 * earlier digests keep working across runs. Deployed functions read Secrets Manager instead.
 */
export function localTokenKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.NEWSHOUND_SECRET;
  if (fromEnv) return fromEnv;
  const path = join(dataDir, LOCAL_SECRET_FILE);
  try {
    const existing = readFileSync(path, 'utf8').trim();
    if (existing) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64url');
  try {
    // `wx`: if another process created it meanwhile, theirs wins and we read it back.
    writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readFileSync(path, 'utf8').trim();
  }
}
