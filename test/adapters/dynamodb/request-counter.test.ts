import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type OpenedStore } from '../../../lambda/adapters/dynamodb/open-store.ts';
import { attachRequestCounter } from '../../../lambda/adapters/dynamodb/request-counter.ts';
import { feedState, hit } from './fixtures.ts';

describe('request counter', () => {
  let dataDir: string;
  let opened: OpenedStore;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'newshound-counter-'));
    opened = await openStore({ dataDir, env: {} });
  });
  afterAll(async () => {
    await opened?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('counts the requests a store sends, by DynamoDB operation', async () => {
    // Prepare
    const counter = attachRequestCounter(opened.client);
    const pending = hit();
    // Act
    await opened.store.getFeedStates(Array.from({ length: 150 }, () => feedState().feedUrl));
    await opened.store.putHit(pending);
    await opened.store.putHit(pending);
    await opened.store.pendingHits(pending.subscriberId);
    // Assess
    // pendingHits: one Query of the index, one BatchGetItem checking the records behind it.
    expect(counter.counts()).toEqual({ BatchGetItem: 3, PutItem: 2, Query: 1 });
  });

  it('starts again from zero after reset', async () => {
    const counter = attachRequestCounter(opened.client);
    await opened.store.putFeedState(feedState());
    counter.reset();
    await opened.store.listSubscribers();
    expect(counter.counts()).toEqual({ Query: 1 });
  });
});
