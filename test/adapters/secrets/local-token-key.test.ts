import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localTokenKey } from '../../../lambda/adapters/secrets/local-token-key.ts';

// The key that signs unsubscribe and manage links in local runs: made once, kept, never empty.

describe('the local token key', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'newshound-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is made on first use, readable only by its owner, and the same on every later run', () => {
    const first = localTokenKey(dir, {});
    const again = localTokenKey(dir, {});
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(again).toBe(first);
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
  });

  it('never signs with an empty key: an empty file left by a killed run is replaced', () => {
    writeFileSync(join(dir, 'secret.key'), '');
    const key = localTokenKey(dir, {});
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readFileSync(join(dir, 'secret.key'), 'utf8').trim()).toBe(key);
  });

  it('uses NEWSHOUND_SECRET when it is set, writing nothing', () => {
    expect(localTokenKey(dir, { NEWSHOUND_SECRET: 'from-the-environment' })).toBe('from-the-environment');
    expect(() => statSync(join(dir, 'secret.key'))).toThrow();
  });
});
