import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpFeedFetcher } from '../../lambda/adapters/http/http-feed-fetcher.ts';
import { OutboxMailer } from '../../lambda/adapters/mail/outbox-mailer.ts';
import { openStore, type OpenedStore } from '../../lambda/adapters/dynamodb/open-store.ts';
import type { CycleDeps } from '../../lambda/app/run-cycle.ts';
import { parseConfig } from '../../lambda/core/config/parse-config.ts';
import type { Config } from '../../lambda/core/config/schema.ts';
import { fixedClock } from '../../lambda/core/ports/clock.ts';
import type { Mailer } from '../../lambda/core/ports/mailer.ts';
import { stringify } from 'yaml';

/** A temp directory with the embedded store (dynalite) opened in it, for runCycle tests in-process. */
export interface Workspace {
  dir: string;
  outbox: string;
  opened: OpenedStore;
  /** A path where the outbox mailer fails for real (a file where a directory should be). */
  blockedOutbox: string;
  deps(config: Config, now: string, mailer?: Mailer): CycleDeps;
  close(): Promise<void>;
}

export async function openWorkspace(): Promise<Workspace> {
  const dir = mkdtempSync(join(tmpdir(), 'newshound-app-'));
  const outbox = join(dir, 'outbox');
  const blockedOutbox = join(dir, 'blocked');
  writeFileSync(blockedOutbox, 'a file, not a directory');
  let now = new Date();
  // The store filters expired records by the cycle clock, as the CLI wires it.
  const opened = await openStore({ dataDir: join(dir, 'data'), env: {}, clock: { now: () => now } });
  return {
    dir,
    outbox,
    opened,
    blockedOutbox,
    deps: (config, at, mailer) => {
      now = new Date(at);
      return {
        store: opened.store,
        fetcher: new HttpFeedFetcher(),
        mailer: mailer ?? new OutboxMailer(outbox),
        clock: fixedClock(now),
        config,
        tokenKey: 'test-key',
      };
    },
    close: async () => {
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A validated config, as the CLI would load it; local feed servers need allowPrivateNetworks. */
export function testConfig(raw: Record<string, unknown>): Config {
  return parseConfig(stringify({ ...raw, fetch: { allowPrivateNetworks: true, timeoutSeconds: 5 } }), 'test.yaml');
}
