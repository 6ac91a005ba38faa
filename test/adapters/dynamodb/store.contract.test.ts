import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStore } from '../../../lambda/adapters/dynamodb/dynamo-store.ts';
import { DataDirBusyError } from '../../../lambda/adapters/dynamodb/embedded-engine.ts';
import { openStore, type OpenedStore } from '../../../lambda/adapters/dynamodb/open-store.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../support/dynamodb-local.ts';
import { hasJava, skipLine } from '../../support/env.ts';
import { feedState, hit, movableClock } from './fixtures.ts';
import { storeContract, type StoreEngine } from './store-contract.ts';

// One contract, two engines: the embedded engine (dynalite under a data directory) and the
// official DynamoDB Local reached the way production reaches AWS (NEWSHOUND_TABLE + endpoint env).

describe('embedded engine (dynalite)', () => {
  let dataDir: string;
  let opened: OpenedStore;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'newshound-store-'));
    opened = await openStore({ dataDir, env: {} });
  });
  afterAll(async () => {
    await opened?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  storeContract((): StoreEngine => ({
    makeStore: (clock) => new DynamoStore({ client: opened.client, tableName: opened.tableName, clock }),
    table: { client: opened.client, tableName: opened.tableName },
  }));

  describe('persistence', () => {
    it('keeps what was stored across a close and reopen of the data directory', async () => {
      // Prepare
      const dir = await mkdtemp(join(tmpdir(), 'newshound-reopen-'));
      const state = feedState({ etag: '"kept"' });
      const pending = hit();
      const first = await openStore({ dataDir: dir, env: {}, clock: movableClock() });
      await first.store.putFeedState(state);
      await first.store.putHit(pending);
      await first.close();
      // Act
      const second = await openStore({ dataDir: dir, env: {}, clock: movableClock() });
      try {
        // Assess
        expect((await second.store.getFeedStates([state.feedUrl])).get(state.feedUrl)).toEqual({ ...state, version: 1 });
        expect(await second.store.pendingHits(pending.subscriberId)).toEqual([pending]);
        expect(await second.store.putHit(pending)).toBe(false);
      } finally {
        await second.close();
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('lets a second opener use the store while the first one has it open', async () => {
      // Act
      const second = await openStore({ dataDir, env: {}, waitForDataDirMs: 300 });
      const state = feedState();
      try {
        await second.store.putFeedState(state);
        // Assess
        expect((await opened.store.getFeedStates([state.feedUrl])).get(state.feedUrl)).toEqual({ ...state, version: 1 });
      } finally {
        await second.close();
      }
      expect((await opened.store.getFeedStates([state.feedUrl])).size).toBe(1);
    });

    it('keeps a second opener working after the first one closes', async () => {
      // Prepare
      const dir = await mkdtemp(join(tmpdir(), 'newshound-turns-'));
      const first = await openStore({ dataDir: dir, env: {} });
      const second = await openStore({ dataDir: dir, env: {} });
      const state = feedState();
      await first.store.putFeedState(state);
      // Act
      await first.close();
      const later = feedState();
      await second.store.putFeedState(later);
      // Assess
      try {
        expect((await second.store.getFeedStates([state.feedUrl, later.feedUrl])).size).toBe(2);
      } finally {
        await second.close();
      }
      const third = await openStore({ dataDir: dir, env: {} });
      try {
        expect((await third.store.getFeedStates([state.feedUrl, later.feedUrl])).size).toBe(2);
      } finally {
        await third.close();
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('gives up with a clear error when the holder of the data directory never answers', async () => {
      // Prepare: a live process that holds the pid file but serves nothing.
      const dir = await mkdtemp(join(tmpdir(), 'newshound-mute-'));
      const mute = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
      await writeFile(join(dir, 'newshound.pid'), String(mute.pid));
      // Act
      const attempt = openStore({ dataDir: dir, env: {}, waitForDataDirMs: 300 });
      // Assess
      try {
        await expect(attempt).rejects.toThrow(DataDirBusyError);
        await expect(attempt).rejects.toThrow(/in use by another newshound process/);
      } finally {
        mute.kill('SIGKILL');
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});

// Without Java these tests are registered as skipped, so `npm test` counts them (scripts/test.mjs).
if (!hasJava()) skipLine('DynamoDB Local suite not run: java not found');
describe.skipIf(!hasJava())('DynamoDB Local', () => {
  let local: DynamoDbLocal;
  let opened: OpenedStore;

  beforeAll(async () => {
    local = await startDynamoDbLocal();
    // Through openStore, as the CLI does with NEWSHOUND_TABLE: a loopback endpoint gets its table created.
    opened = await openStore({ dataDir: '/nonexistent-unused', env: local.env('newshound-contract') });
  });
  afterAll(async () => {
    await opened?.close();
    await local?.stop();
  });

  storeContract((): StoreEngine => ({
    makeStore: (clock) => new DynamoStore({ client: opened.client, tableName: opened.tableName, clock }),
    table: { client: opened.client, tableName: opened.tableName },
  }));
});
