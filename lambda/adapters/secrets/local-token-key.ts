import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LOCAL_SECRET_FILE = 'secret.key';

/**
 * The token signing key for local runs (`run`, `up`, `serve`): NEWSHOUND_SECRET when set, else a
 * random key generated on first use and kept in `<dataDir>/secret.key` (mode 0600), so links in
 * earlier digests keep working across runs. Deployed functions read Secrets Manager instead.
 *
 * The file appears whole or not at all (written aside, then hard-linked into place, which fails if
 * another process got there first): a process killed while writing it can never leave an empty key
 * that later runs would sign every link with. An empty file left by an older version is replaced.
 */
export function localTokenKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.NEWSHOUND_SECRET;
  if (fromEnv) return fromEnv;
  const path = join(dataDir, LOCAL_SECRET_FILE);
  const existing = readKey(path);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true });
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(aside, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  try {
    linkSync(aside, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Another process created it meanwhile (theirs wins), or an empty one is in the way (replaced).
    if (!readKey(path)) renameSync(aside, path);
  } finally {
    rmSync(aside, { force: true });
  }
  const key = readKey(path);
  if (!key) throw new Error(`could not create the token key in ${path}`);
  return key;
}

function readKey(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return undefined;
  }
}
