import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { hitKey } from '../../../lambda/adapters/dynamodb/keys.ts';
import type { Store } from '../../../lambda/core/ports/store.ts';
import {
  DAY_SECONDS,
  T0,
  digest,
  epoch,
  feedState,
  hit,
  movableClock,
  story,
  unique,
  type MovableClock,
} from './fixtures.ts';
import { accountsContract } from './store-contract-accounts.ts';
import { recentStoriesContract } from './store-contract-recent.ts';
import { pushStatesContract } from './store-contract-push.ts';

/** What an engine gives the contract: a store over its table, reading time from `clock`. */
export interface StoreEngine {
  makeStore(clock: MovableClock): Store;
  /** The table underneath, for planting what only a crash leaves behind (absent in memory). */
  table?: { client: DynamoDBClient; tableName: string };
}

// The behaviour every Store must show, whatever engine is underneath. Registered once per engine.
export function storeContract(engine: () => StoreEngine, options: { hasTable: boolean } = { hasTable: true }): void {
  const fresh = () => {
    const clock = movableClock(T0);
    const { makeStore, table } = engine();
    return { clock, store: makeStore(clock), table };
  };

  describe('feed state', () => {
    it('knows nothing about a feed it never stored', async () => {
      const { store } = fresh();
      const states = await store.getFeedStates([feedState().feedUrl]);
      expect(states.size).toBe(0);
    });

    it('reads back every field of a stored feed state', async () => {
      // Prepare
      const { store } = fresh();
      const state = feedState({
        title: 'NHK ニュース',
        etag: 'W/"abc"',
        lastModified: 'Sat, 01 Mar 2025 08:00:00 GMT',
        lastStatus: '200',
        lastAttemptAt: T0.toISOString(),
        lastSuccessAt: T0.toISOString(),
        recentKeyHashes: ['0123456789abcdef01234567', '89abcdef0123456789abcdef'],
        newItemTimes: [T0.toISOString()],
      });
      // Act
      await store.putFeedState(state);
      const states = await store.getFeedStates([state.feedUrl]);
      // Assess
      expect(states.get(state.feedUrl)).toEqual({ ...state, version: 1 });
    });

    it('replaces the state on the next put over the version it read (failure streak recorded)', async () => {
      const { store } = fresh();
      const state = feedState({ etag: '"1"' });
      await store.putFeedState(state);
      const failing = { ...state, version: 1, lastStatus: 'timeout', lastError: 'no answer in 10 s', consecutiveFailures: 2, failingSince: T0.toISOString() };
      expect(await store.putFeedState(failing)).toBe(true);
      expect((await store.getFeedStates([state.feedUrl])).get(state.feedUrl)).toEqual({ ...failing, version: 2 });
    });

    it('refuses a state written over a version another writer has moved on from', async () => {
      // Prepare: two workers read version 1; the first writes.
      const { store } = fresh();
      const state = feedState();
      await store.putFeedState(state);
      const read = (await store.getFeedStates([state.feedUrl])).get(state.feedUrl)!;
      await store.putFeedState({ ...read, etag: '"first"' });
      // Act
      const second = await store.putFeedState({ ...read, etag: '"second"' });
      const fresher = await store.putFeedState(state);
      // Assess
      expect([second, fresher]).toEqual([false, false]);
      expect((await store.getFeedStates([state.feedUrl])).get(state.feedUrl)?.etag).toBe('"first"');
    });

    it('finds the feeds that are due, soonest first, at most as many as asked', async () => {
      // Prepare
      const { store } = fresh();
      const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000).toISOString();
      const batch = unique('due');
      const states = [feedState({ nextDueAt: at(-30) }), feedState({ nextDueAt: at(-5) }), feedState({ nextDueAt: at(0) }), feedState({ nextDueAt: at(5) }), feedState()];
      for (const state of states) await store.putFeedState({ ...state, feedUrl: `${state.feedUrl}?${batch}` });
      const mine = (list: Array<{ feedUrl: string; dueAt: string }>) => list.filter((d) => d.feedUrl.endsWith(batch));
      // Act: due feeds of other tests may be listed too; only this batch's are looked at.
      const due = mine(await store.dueFeeds(T0, 10_000));
      // Assess
      expect(due.map((d) => d.dueAt)).toEqual([at(-30), at(-5), at(0)]);
      expect(await store.dueFeeds(new Date('2000-01-01T00:00:00Z'), 10)).toEqual([]);
    });

    it('moves a feed in the due list when its next due time moves', async () => {
      const { store } = fresh();
      const state = feedState({ nextDueAt: new Date(T0.getTime() - 60_000).toISOString() });
      await store.putFeedState(state);
      await store.putFeedState({ ...state, version: 1, nextDueAt: new Date(T0.getTime() + 600_000).toISOString() });
      const due = await store.dueFeeds(T0, 10_000);
      expect(due.map((d) => d.feedUrl)).not.toContain(state.feedUrl);
    });

    it('reads the states of more than 100 feeds in one call, duplicates folded', async () => {
      // Prepare
      const { store } = fresh();
      const states = Array.from({ length: 230 }, (_, i) => feedState({ consecutiveFailures: i }));
      await Promise.all(states.map((state) => store.putFeedState(state)));
      const urls = states.map((state) => state.feedUrl);
      // Act
      const read = await store.getFeedStates([...urls, urls[0]!, feedState().feedUrl]);
      // Assess
      expect(read.size).toBe(230);
      expect(read.get(urls[229]!)?.consecutiveFailures).toBe(229);
    });

    it('keeps feeds whose URLs exceed the key size limit apart', async () => {
      // Prepare: 3 kB URLs that differ only in the last character
      const { store } = fresh();
      const base = `https://feeds.example.com/${unique('long')}?q=${'x'.repeat(3000)}`;
      const first = feedState({ feedUrl: `${base}1`, etag: '"one"' });
      const second = feedState({ feedUrl: `${base}2`, etag: '"two"' });
      // Act
      await store.putFeedState(first);
      await store.putFeedState(second);
      const read = await store.getFeedStates([first.feedUrl, second.feedUrl]);
      // Assess
      expect(read.get(first.feedUrl)?.etag).toBe('"one"');
      expect(read.get(second.feedUrl)?.etag).toBe('"two"');
    });
  });

  describe('stories', () => {
    it('creates a story once and appends later sources in the order they were seen', async () => {
      // Prepare
      const { store } = fresh();
      const first = story({ sources: ['NHK News'] });
      // Act
      const created = await store.recordStory(first);
      const again = await store.recordStory({ ...first, title: 'changed', sources: ['Kyodo'] });
      const third = await store.recordStory({ ...first, sources: ['Japan Times'] });
      // Assess
      expect(created).toEqual({ created: true, record: first });
      expect(again.created).toBe(false);
      expect(again.record.title).toBe(first.title);
      expect(third.record.sources).toEqual(['NHK News', 'Kyodo', 'Japan Times']);
    });

    it('does not repeat a source that carried the story before', async () => {
      const { store } = fresh();
      const first = story({ sources: ['NHK News'] });
      await store.recordStory(first);
      await store.recordStory({ ...first, sources: ['Kyodo'] });
      const result = await store.recordStory({ ...first, sources: ['NHK News'] });
      expect(result).toEqual({ created: false, record: { ...first, sources: ['NHK News', 'Kyodo'] } });
    });

    it('treats a story past its expiresAt as never seen', async () => {
      // Prepare
      const { store, clock } = fresh();
      const old = story({ expiresAt: epoch(T0) + DAY_SECONDS });
      await store.recordStory(old);
      clock.advanceSeconds(2 * DAY_SECONDS);
      // Act
      const listed = await store.getStories([old.key]);
      const recorded = await store.recordStory({ ...old, sources: ['Kyodo'], expiresAt: epoch(clock.now()) + DAY_SECONDS });
      // Assess
      expect(listed.size).toBe(0);
      expect(recorded.created).toBe(true);
      expect((await store.getStories([old.key])).get(old.key)?.sources).toEqual(['Kyodo']);
    });

    it('reads more than 100 stories in one call, long keys included', async () => {
      // Prepare
      const { store } = fresh();
      const stories = Array.from({ length: 150 }, (_, i) =>
        story({ key: i % 10 === 0 ? `https://news.example.com/${unique('s')}?${'p'.repeat(2500)}` : undefined }),
      ).map((s) => ({ ...s, key: s.key ?? `https://news.example.com/${unique('s')}` }));
      await Promise.all(stories.map((s) => store.recordStory(s)));
      // Act
      const read = await store.getStories(stories.map((s) => s.key));
      // Assess
      expect(read.size).toBe(150);
      expect(read.get(stories[0]!.key)).toEqual(stories[0]);
    });
  });

  describe('hits', () => {
    it('records a hit at most once per subscriber and story', async () => {
      const { store } = fresh();
      const first = hit();
      expect(await store.putHit(first)).toBe(true);
      expect(await store.putHit({ ...first, title: 'republished', createdAt: '2025-03-01T10:00:00.000Z' })).toBe(false);
      expect(await store.pendingHits(first.subscriberId)).toEqual([first]);
    });

    it('records the same story once for each of two subscribers', async () => {
      const { store } = fresh();
      const first = hit();
      const other = { ...first, subscriberId: unique('sub') };
      expect(await store.putHit(first)).toBe(true);
      expect(await store.putHit(other)).toBe(true);
      expect(await store.pendingHits(other.subscriberId)).toEqual([other]);
    });

    it('lists pending hits oldest first and drops the ones marked sent', async () => {
      // Prepare
      const { store } = fresh();
      const subscriberId = unique('sub');
      const later = hit({ subscriberId, createdAt: '2025-03-01T09:30:00.000Z' });
      const earlier = hit({ subscriberId, createdAt: '2025-03-01T09:10:00.000Z' });
      const third = hit({ subscriberId, createdAt: '2025-03-01T09:20:00.000Z' });
      for (const h of [later, earlier, third]) await store.putHit(h);
      // Act
      const before = await store.pendingHits(subscriberId);
      await store.markHitsSent(subscriberId, [earlier.storyKey, later.storyKey], 'digest-1');
      const after = await store.pendingHits(subscriberId);
      // Assess
      expect(before.map((h) => h.storyKey)).toEqual([earlier.storyKey, third.storyKey, later.storyKey]);
      expect(after).toEqual([third]);
    });

    it('never records a story again for a subscriber once it was sent', async () => {
      const { store } = fresh();
      const first = hit();
      await store.putHit(first);
      await store.markHitsSent(first.subscriberId, [first.storyKey], 'digest-1');
      expect(await store.putHit(first)).toBe(false);
      expect(await store.pendingHits(first.subscriberId)).toEqual([]);
    });

    it('forgets a hit past its expiresAt: hidden from pending, and the story may be hit again', async () => {
      // Prepare
      const { store, clock } = fresh();
      const first = hit({ expiresAt: epoch(T0) + DAY_SECONDS });
      await store.putHit(first);
      clock.advanceSeconds(2 * DAY_SECONDS);
      // Act
      const pending = await store.pendingHits(first.subscriberId);
      const again = await store.putHit({ ...first, expiresAt: epoch(clock.now()) + DAY_SECONDS });
      // Assess
      expect(pending).toEqual([]);
      expect(again).toBe(true);
    });

    it('marks sent only the hits that exist (no phantom hits)', async () => {
      const { store } = fresh();
      const first = hit();
      await store.markHitsSent(first.subscriberId, [first.storyKey], 'digest-1');
      expect(await store.putHit(first)).toBe(true);
      expect(await store.pendingHits(first.subscriberId)).toEqual([first]);
    });

    it('handles a story key longer than the sort key limit', async () => {
      const { store } = fresh();
      const long = hit({ storyKey: `https://news.example.com/${unique('s')}?${'q'.repeat(4000)}` });
      expect(await store.putHit(long)).toBe(true);
      expect(await store.putHit(long)).toBe(false);
      await store.markHitsSent(long.subscriberId, [long.storyKey], 'digest-1');
      expect(await store.pendingHits(long.subscriberId)).toEqual([]);
    });

    if (options.hasTable) it('trusts a hit\'s record over its pending-index entry', async () => {
      // Prepare: a record marked sent while its index entry still says pending, which is what the
      // embedded engine leaves when a crash separates the index write from the record write.
      const { store, table } = fresh();
      const subscriberId = unique('sub');
      const stale = hit({ subscriberId });
      const live = hit({ subscriberId, createdAt: '2025-03-01T09:30:00.000Z' });
      await store.putHit(stale);
      await store.putHit(live);
      await DynamoDBDocumentClient.from(table!.client).send(
        new UpdateCommand({
          TableName: table!.tableName,
          Key: hitKey(subscriberId, stale.storyKey),
          UpdateExpression: 'SET #status = :sent',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sent': 'sent' },
        }),
      );
      // Act
      const pending = await store.pendingHits(subscriberId);
      // Assess
      expect(pending).toEqual([live]);
    });

    it('reads at most the number of pending hits asked for, oldest first, and counts them all', async () => {
      // Prepare
      const { store } = fresh();
      const subscriberId = unique('sub');
      const hits = Array.from({ length: 7 }, (_, i) => hit({ subscriberId, createdAt: `2025-03-01T09:0${i}:00.000Z` }));
      for (const h of [...hits].reverse()) await store.putHit(h);
      // Act
      const page = await store.pendingHits(subscriberId, 3);
      const count = await store.countPendingHits(subscriberId);
      // Assess
      expect(page).toEqual(hits.slice(0, 3));
      expect(count).toBe(7);
    });

    it('reads only the pending hits the sender accepts, counting only those towards the limit', async () => {
      // Prepare
      const { store } = fresh();
      const subscriberId = unique('sub');
      const hits = Array.from({ length: 6 }, (_, i) =>
        hit({ subscriberId, createdAt: `2025-03-01T09:0${i}:00.000Z`, frequency: i % 2 === 0 ? 'daily' : 'immediate' }),
      );
      for (const h of hits) await store.putHit(h);
      // Act
      const immediate = await store.pendingHits(subscriberId, 2, (h) => h.frequency === 'immediate');
      // Assess
      expect(immediate).toEqual([hits[1], hits[3]]);
      expect(await store.pendingHits(subscriberId, undefined, (h) => h.frequency === 'daily')).toEqual([hits[0], hits[2], hits[4]]);
    });

    it('reads a subscriber\'s hits by story, pending or sent', async () => {
      const { store } = fresh();
      const subscriberId = unique('sub');
      const [a, b] = [hit({ subscriberId }), hit({ subscriberId })];
      await store.putHit(a!);
      await store.putHit(b!);
      await store.markHitsSent(subscriberId, [b!.storyKey], 'digest-1');
      const read = await store.getHits(subscriberId, [a!.storyKey, b!.storyKey, 'https://never.example/x']);
      expect(read.map((h) => [h.storyKey, h.status]).sort()).toEqual([[a!.storyKey, 'pending'], [b!.storyKey, 'sent']].sort());
    });

    it('marks more hits than one batch as sent', async () => {
      const { store } = fresh();
      const subscriberId = unique('sub');
      const hits = Array.from({ length: 120 }, () => hit({ subscriberId }));
      await Promise.all(hits.map((h) => store.putHit(h)));
      expect(await store.pendingHits(subscriberId)).toHaveLength(120);
      await store.markHitsSent(subscriberId, hits.map((h) => h.storyKey), 'digest-1');
      expect(await store.pendingHits(subscriberId)).toEqual([]);
    });
  });

  describe('digest ledger', () => {
    it('lets a digest be claimed once', async () => {
      const { store } = fresh();
      const claim = digest();
      expect(await store.claimDigest(claim)).toBe(true);
      expect(await store.claimDigest({ ...claim, claimedAt: '2025-03-01T09:05:00.000Z' })).toBe(false);
      expect(await store.getDigest(claim.subscriberId, claim.digestId)).toEqual(claim);
    });

    it('records a sent digest and reports it as the last sent digest', async () => {
      // Prepare
      const { store } = fresh();
      const sent = digest({ state: 'sent', messageId: '<m1@example.com>', sentAt: '2025-03-01T09:01:00.000Z', waiting: 3 });
      // Act
      await store.recordSentDigest(sent);
      // Assess
      expect(await store.getDigest(sent.subscriberId, sent.digestId)).toEqual(sent);
      expect(await store.lastSentDigest(sent.subscriberId)).toEqual(sent);
    });

    it('keeps the newest digest as the last sent one when an older completes late', async () => {
      const { store } = fresh();
      const newer = digest({ digestId: 'b-newer', sentAt: '2025-03-02T08:00:00.000Z' });
      const older = { ...digest({ digestId: 'z-older', sentAt: '2025-03-01T08:00:00.000Z' }), subscriberId: newer.subscriberId };
      await store.recordSentDigest(newer);
      await store.recordSentDigest(older);
      expect((await store.lastSentDigest(newer.subscriberId))?.digestId).toBe('b-newer');
    });

    it('keeps the last sent digest of each hourly and daily class it carried', async () => {
      // Prepare
      const { store } = fresh();
      const daily = digest({ digestId: 'a-daily', sentAt: '2025-03-01T08:00:00.000Z', frequencies: ['daily', 'immediate'] });
      const subscriberId = daily.subscriberId;
      const immediate = { ...digest({ digestId: 'b-immediate', sentAt: '2025-03-01T08:30:00.000Z', frequencies: ['immediate'] }), subscriberId };
      const olderDaily = { ...digest({ digestId: 'c-daily', sentAt: '2025-02-28T08:00:00.000Z', frequencies: ['daily'] }), subscriberId };
      // Act
      await store.recordSentDigest(daily);
      await store.recordSentDigest(immediate);
      await store.recordSentDigest(olderDaily);
      // Assess
      expect((await store.lastSentDigest(subscriberId))?.digestId).toBe('b-immediate');
      expect((await store.lastSentDigest(subscriberId, 'daily'))?.digestId).toBe('a-daily');
      expect(await store.lastSentDigest(subscriberId, 'hourly')).toBeUndefined();
    });

    it('answers a class with the last digest of all when it was recorded before classes were kept', async () => {
      const { store } = fresh();
      const legacy = digest({ digestId: 'a-legacy', sentAt: '2025-03-01T08:00:00.000Z' });
      await store.recordSentDigest(legacy);
      expect((await store.lastSentDigest(legacy.subscriberId, 'hourly'))?.digestId).toBe('a-legacy');
    });

    it('moves a claim to sending only for its owner, once', async () => {
      const { store } = fresh();
      const claim = digest({ owner: 'cycle-a' });
      await store.claimDigest(claim);
      expect(await store.markDigestAttempted(claim.subscriberId, claim.digestId, 'cycle-b', '2025-03-01T09:01:00.000Z')).toBe(false);
      expect(await store.markDigestAttempted(claim.subscriberId, claim.digestId, 'cycle-a', '2025-03-01T09:01:00.000Z')).toBe(true);
      expect(await store.markDigestAttempted(claim.subscriberId, claim.digestId, 'cycle-a', '2025-03-01T09:02:00.000Z')).toBe(false);
      expect(await store.getDigest(claim.subscriberId, claim.digestId)).toEqual({ ...claim, state: 'sending', attemptedAt: '2025-03-01T09:01:00.000Z' });
    });

    it('lets one of two cycles take over a dead owner\'s claim', async () => {
      const { store } = fresh();
      const claim = digest({ owner: 'dead-cycle' });
      await store.claimDigest(claim);
      const takers = await Promise.all(['cycle-1', 'cycle-2', 'cycle-3'].map((owner) => store.takeOverDigest(claim.subscriberId, claim.digestId, 'dead-cycle', owner)));
      expect(takers.filter(Boolean)).toHaveLength(1);
      const winner = ['cycle-1', 'cycle-2', 'cycle-3'][takers.indexOf(true)];
      expect((await store.getDigest(claim.subscriberId, claim.digestId))?.owner).toBe(winner);
    });

    it('has no last sent digest for a subscriber never mailed, nor for a claim not yet sent', async () => {
      const { store } = fresh();
      const claim = digest();
      await store.claimDigest(claim);
      expect(await store.lastSentDigest(claim.subscriberId)).toBeUndefined();
      expect(await store.getDigest(claim.subscriberId, 'never-claimed')).toBeUndefined();
    });

    it('releases a failed claim so the next cycle can claim it again', async () => {
      const { store } = fresh();
      const claim = digest();
      await store.claimDigest(claim);
      await store.releaseDigest(claim.subscriberId, claim.digestId);
      expect(await store.getDigest(claim.subscriberId, claim.digestId)).toBeUndefined();
      expect(await store.claimDigest(claim)).toBe(true);
    });

    it('releases a claim whose send was attempted', async () => {
      const { store } = fresh();
      const claim = digest({ owner: 'cycle-a' });
      await store.claimDigest(claim);
      await store.markDigestAttempted(claim.subscriberId, claim.digestId, 'cycle-a', '2025-03-01T09:01:00.000Z');
      await store.releaseDigest(claim.subscriberId, claim.digestId);
      expect(await store.getDigest(claim.subscriberId, claim.digestId)).toBeUndefined();
    });

    it('never releases a digest that was sent', async () => {
      const { store } = fresh();
      const sent = digest({ state: 'sent', sentAt: '2025-03-01T09:01:00.000Z', messageId: '<m@x>' });
      await store.recordSentDigest(sent);
      await store.releaseDigest(sent.subscriberId, sent.digestId);
      expect((await store.getDigest(sent.subscriberId, sent.digestId))?.state).toBe('sent');
      expect(await store.claimDigest({ ...sent, state: 'claimed' })).toBe(false);
    });

    it('ignores a ledger entry past its expiresAt', async () => {
      const { store, clock } = fresh();
      const claim = digest({ expiresAt: epoch(T0) + 60 });
      await store.claimDigest(claim);
      clock.advanceSeconds(120);
      expect(await store.getDigest(claim.subscriberId, claim.digestId)).toBeUndefined();
      expect(await store.claimDigest({ ...claim, expiresAt: epoch(clock.now()) + 60 })).toBe(true);
    });
  });

  describe('feeds added at run time and change counters', () => {
    it('keeps added and removed feeds, each once by URL', async () => {
      const { store } = fresh();
      const url = `https://feeds.example.com/${unique('added')}.xml`;
      await store.putStoredFeed({ url, name: 'Added Wire', addedAt: T0.toISOString() });
      await store.putStoredFeed({ url, name: 'Added Wire', addedAt: T0.toISOString(), removedAt: T0.toISOString() });
      const mine = (await store.listStoredFeeds()).filter((f) => f.url === url);
      expect(mine).toEqual([{ url, name: 'Added Wire', addedAt: T0.toISOString(), removedAt: T0.toISOString() }]);
    });

    it('counts each bump of a version once, starting from zero', async () => {
      const { store } = fresh();
      const name = unique('version');
      expect(await store.getVersion(name)).toBe(0);
      const bumps = await Promise.all([store.bumpVersion(name), store.bumpVersion(name), store.bumpVersion(name)]);
      expect([...bumps].sort()).toEqual([1, 2, 3]);
      expect(await store.getVersion(name)).toBe(3);
    });
  });

  describe('items at their bounds', () => {
    // The largest each item can get under the limits of the config schema and the entry limits
    // (README, "Limits"): each must be stored and read back whole, far below the 400 KB item cap.
    const longKey = (n: number) => `https://news.example.com/${String(n).padStart(6, '0')}/${'k'.repeat(468)}`;

    it('stores the largest feed state', async () => {
      const { store } = fresh();
      const state = feedState({
        title: 'T'.repeat(300),
        lastError: 'E'.repeat(500),
        recentKeyHashes: Array.from({ length: 2000 }, (_, i) => i.toString(16).padStart(24, '0')),
        newItemTimes: Array.from({ length: 100 }, (_, i) => new Date(T0.getTime() - i * 60_000).toISOString()),
      });
      await store.putFeedState(state);
      expect((await store.getFeedStates([state.feedUrl])).get(state.feedUrl)).toEqual({ ...state, version: 1 });
    });

    it('stores the largest in-flight digest and its sent record', async () => {
      const { store } = fresh();
      const keys = Array.from({ length: 200 }, (_, i) => longKey(i));
      expect(Buffer.byteLength(keys[0]!)).toBeLessThanOrEqual(500);
      const claim = digest({ storyKeys: keys, owner: 'cycle-a', carries: 'f'.repeat(64), waiting: 123_456 });
      expect(await store.claimDigest(claim)).toBe(true);
      await store.recordSentDigest({ ...claim, digestId: 'f'.repeat(64), state: 'sent', sentAt: T0.toISOString(), messageId: 'm' });
      expect((await store.getDigest(claim.subscriberId, claim.digestId))?.storyKeys).toHaveLength(200);
      expect((await store.lastSentDigest(claim.subscriberId))?.storyKeys).toHaveLength(200);
    });

    it('stores the largest hit and a story carried by the most feeds it lists', async () => {
      const { store } = fresh();
      const big = hit({
        storyKey: longKey(1),
        title: 'T'.repeat(1000),
        url: `https://news.example.com/${'u'.repeat(2020)}`,
        snippet: { text: 'S'.repeat(400), marks: Array.from({ length: 50 }, (_, i) => [i * 8, i * 8 + 4] as [number, number]) },
        titleMarks: Array.from({ length: 50 }, (_, i) => [i * 8, i * 8 + 4] as [number, number]),
      });
      expect(await store.putHit(big)).toBe(true);
      expect(await store.pendingHits(big.subscriberId)).toEqual([big]);
      const carried = story({ key: longKey(2), title: 'T'.repeat(1000), sources: ['S'.repeat(300)] });
      await store.recordStory(carried);
      for (let i = 0; i < 30; i++) await store.recordStory({ ...carried, sources: [`${'F'.repeat(290)} ${i}`] });
      expect((await store.getStories([carried.key])).get(carried.key)?.sources).toHaveLength(20);
    });
  });

  accountsContract(fresh);
  recentStoriesContract(fresh);
  pushStatesContract(fresh);
}
