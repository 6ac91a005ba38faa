import { mkdtemp, rm } from 'node:fs/promises';
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
        expect((await second.store.getFeedStates([state.feedUrl])).get(state.feedUrl)).toEqual(state);
        expect(await second.store.pendingHits(pending.subscriberId)).toEqual([pending]);
        expect(await second.store.putHit(pending)).toBe(false);
      } finally {
        await second.close();
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('makes a second opener of a busy data directory wait, then give up with a clear error', async () => {
      // Act
      const attempt = openStore({ dataDir, env: {}, waitForDataDirMs: 300 });
      // Assess
      await expect(attempt).rejects.toThrow(DataDirBusyError);
      await expect(attempt).rejects.toThrow(/in use by another newshound process/);
    });

    it('lets a waiting opener in once the first one closes', async () => {
      // Prepare
      const dir = await mkdtemp(join(tmpdir(), 'newshound-turns-'));
      const first = await openStore({ dataDir: dir, env: {} });
      const state = feedState();
      // Act
      const waiting = openStore({ dataDir: dir, env: {}, waitForDataDirMs: 30_000 });
      await first.store.putFeedState(state);
      await first.close();
      const second = await waiting;
      // Assess
      try {
        expect((await second.store.getFeedStates([state.feedUrl])).size).toBe(1);
      } finally {
        await second.close();
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});

if (hasJava()) {
  describe('DynamoDB Local', () => {
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
    }));
  });
} else {
  skipLine('DynamoDB Local suite not run: java not found');
}
