import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { openStore, type OpenedStore } from '../../lambda/adapters/dynamodb/open-store.ts';
import { decodeFeedBody } from '../../lambda/adapters/http/decode-feed-body.ts';
import { HttpFeedFetcher } from '../../lambda/adapters/http/http-feed-fetcher.ts';
import { HttpHubClient } from '../../lambda/adapters/http/http-hub-client.ts';
import { MemoryQueue } from '../../lambda/adapters/queue/memory-queue.ts';
import { silentLog } from '../../lambda/app/cycle-log.ts';
import { Dispatcher } from '../../lambda/app/dispatch-due.ts';
import { LiveConfigCache } from '../../lambda/app/live-config.ts';
import { pollOneFeed } from '../../lambda/app/poll-one-feed.ts';
import { RecentStoryCache } from '../../lambda/app/recent-story-cache.ts';
import { sendDue } from '../../lambda/app/send-due.ts';
import { pushAbsorber } from '../../lambda/app/websub/push-absorber.ts';
import { subscriberId } from '../../lambda/core/ids/subscriber-id.ts';
import { parseConfig } from '../../lambda/core/config/parse-config.ts';
import type { Config } from '../../lambda/core/config/schema.ts';
import type { Clock } from '../../lambda/core/ports/clock.ts';
import { LIVE_CONFIG_VERSION } from '../../lambda/core/ports/version-store.ts';
import { startWebServer, type RunningWebServer } from '../../lambda/web/node-server.ts';
import { websubRoute } from '../../lambda/web/routes/websub.ts';
import type { NewshoundFunction } from '../../lib/constructs/newshound-function.ts';
import { rss } from '../e2e/support/rss.ts';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { actionsOf, iamLike, leadingKeysOf, statementsOfRole, type Statement } from './support/iam.ts';
import { logicalId, synthStack, type Synthesized } from './support/synth.ts';
import { RecordingMailer } from '../support/recording-mailer.ts';
import { startTestHub, type TestHub } from '../support/websub-hub.ts';
import { atomFeed } from '../websub/support.ts';

// The other half of least privilege: the statements suffice. Each service runs against the embedded
// DynamoDB engine while every request its client sends is recorded (operation, table or index, the
// partition keys it names); each request must then be allowed by the statements the synthesized
// template gives that function: action, resource (table or index ARN) and the LeadingKeys condition.
// stack-iam.test.ts proves the statements allow no more; this proves they allow enough.

interface TableRequest {
  action: string;
  /** `table`, or the index queried. */
  on: string;
  /** The partition key values the request names (a Query: its key condition's value). */
  keys: string[];
}

/** Records the DynamoDB requests a client sends, from the serialized body (the build step). */
function recordRequests(opened: OpenedStore): { take(): TableRequest[] } {
  let requests: TableRequest[] = [];
  opened.client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers: Record<string, string>; body?: string | Uint8Array };
      const action = String(request.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
      const body = request.body === undefined ? '{}' : typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body);
      requests.push(describeRequest(action, JSON.parse(body)));
      return next(args);
    },
    { step: 'build', name: 'iamRequestRecorder', override: true },
  );
  return {
    take: () => {
      const taken = requests;
      requests = [];
      return taken;
    },
  };
}

type Body = Record<string, any>;

function describeRequest(action: string, body: Body): TableRequest {
  const pkOf = (item: Body | undefined) => String(item?.pk?.S);
  switch (action) {
    case 'GetItem':
    case 'DeleteItem':
    case 'UpdateItem':
      return { action, on: 'table', keys: [pkOf(body.Key)] };
    case 'PutItem':
      return { action, on: 'table', keys: [pkOf(body.Item)] };
    case 'BatchGetItem':
      return { action, on: 'table', keys: Object.values(body.RequestItems as Record<string, { Keys: Body[] }>).flatMap((r) => r.Keys.map(pkOf)) };
    case 'Query': {
      // `<name> = <:value>`: the partition key's equality, whatever the names are aliased to.
      const [, value] = /#?\w+\s*=\s*(:\w+)/.exec(String(body.KeyConditionExpression)) ?? [];
      return { action, on: body.IndexName ? `index/${body.IndexName}` : 'table', keys: [String(body.ExpressionAttributeValues?.[value ?? '']?.S)] };
    }
    default:
      return { action, on: 'table', keys: [] };
  }
}

const NOW = new Date('2026-03-02T01:00:00Z');
const clock: Clock = { now: () => NOW };

let s: Synthesized;
let dir: string;
let opened: OpenedStore;
let recorder: { take(): TableRequest[] };
let feeds: FeedServer;
let config: Config;
let hub: TestHub;
let callbacks: RunningWebServer;
const seen: Record<'dispatch' | 'worker' | 'sender' | 'bump' | 'preview' | 'subscribe' | 'push' | 'unsubscribe' | 'profile', TableRequest[]> = {
  dispatch: [],
  worker: [],
  sender: [],
  bump: [],
  preview: [],
  subscribe: [],
  push: [],
  unsubscribe: [],
  profile: [],
};

beforeAll(async () => {
  s = synthStack({ bundle: false });
  dir = mkdtempSync(join(tmpdir(), 'newshound-iam-requests-'));
  opened = await openStore({ dataDir: dir, env: {}, clock });
  recorder = recordRequests(opened);
  const story = { title: 'JAXA breach', link: 'https://news.example/jaxa', description: 'JAXA was breached.', pubDate: new Date('2026-03-02T00:30:00Z') };
  feeds = await startFeedServer({ '/a.xml': { body: rss('Wire A', [story]) }, '/b.xml': { body: rss('Wire B', [story]) } });
  config = parseConfig(
    stringify({
      feeds: [{ url: feeds.url('/a.xml') }, { url: feeds.url('/b.xml') }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      subscribers: [{ email: 'analyst@example.com', topics: ['jaxa'] }],
      mail: { from: 'alerts@example.com' },
      fetch: { allowPrivateNetworks: true, timeoutSeconds: 5 },
    }),
    'test.yaml',
  );
  const { store } = opened;

  // The dispatcher's first run: seeds both feeds and queues them.
  const queue = new MemoryQueue({ visibilityMs: 60_000, maxReceiveCount: 5 });
  recorder.take();
  await new Dispatcher({ store, queue, live: new LiveConfigCache(store, config), clock, log: silentLog }).dispatch();
  seen.dispatch = recorder.take();

  // The worker polls both (the second feed carries the same story: a source is appended), twice.
  const workerDeps = { store, fetcher: new HttpFeedFetcher(), config, live: new LiveConfigCache(store, config), clock, log: silentLog };
  const jobs = queue.receive(10).map((d) => d.job);
  for (const job of [...jobs, ...jobs]) await pollOneFeed(workerDeps, job);
  seen.worker = recorder.take();

  // The sender mails the digest, then runs again with nothing due.
  const mailer = new RecordingMailer();
  const senderDeps = { store, mailer, config, clock, tokenKey: 'k', log: silentLog, live: new LiveConfigCache(store, config), publicUrl: 'https://a.example' };
  await sendDue(senderDeps, { lockSeconds: 60 });
  await sendDue(senderDeps, { lockSeconds: 60 });
  seen.sender = recorder.take();
  expect(mailer.sent).toHaveLength(1);

  // What the api and ses-events functions do when a subscriber changes.
  await store.bumpVersion(LIVE_CONFIG_VERSION);
  seen.bump = recorder.take();

  // The api function's alert preview loads the week of recent stories the worker wrote.
  expect(await store.recentStories('', NOW)).toHaveLength(1);
  seen.preview = recorder.take();

  // WebSub: a third feed names a hub. Its config is the first one's with that feed added, so what
  // went before is untouched.
  hub = await startTestHub({ manualVerification: true });
  const pushedUrl = feeds.url('/pushed.xml');
  feeds.route('/pushed.xml', { body: atomFeed(pushedUrl, hub.url, ['JAXA systems audited'], NOW), headers: { 'content-type': 'application/atom+xml' } });
  const pushConfig: Config = { ...config, feeds: [...config.feeds, { url: pushedUrl }] };
  const live = new LiveConfigCache(store, pushConfig);
  const base = { store, fetcher: new HttpFeedFetcher(), config: pushConfig, live, clock, log: silentLog };
  const route = websubRoute({
    store,
    clock,
    log: silentLog,
    maxBodyBytes: pushConfig.fetch.maxBytes,
    absorb: pushAbsorber(base, (bytes, contentType) => decodeFeedBody(bytes, contentType).text),
  });
  callbacks = await startWebServer(
    (url) => ({ config: pushConfig, store, mailer: new RecordingMailer(), tokenKey: 'k', publicUrl: url, clock, recentStories: new RecentStoryCache(store, clock) }),
    { port: 0, websub: { handle: route, maxBodyBytes: pushConfig.fetch.maxBytes } },
  );
  const push = { store, hub: new HttpHubClient(), callbackBase: `${callbacks.url}/websub`, request: { timeoutMs: 5_000, allowPrivateNetworks: true }, clock, log: silentLog };
  recorder.take();
  // The worker polls the feed and subscribes (the hub holds its verification until asked).
  await pollOneFeed({ ...base, push }, { feedUrl: pushedUrl, dueAt: NOW.toISOString() });
  seen.subscribe = recorder.take();
  // The hub verifies the intent, then distributes a signed body with a new story.
  await hub.verifyHeld();
  const fresh = atomFeed(pushedUrl, hub.url, ['JAXA names the intruder', 'JAXA systems audited'], NOW);
  expect(await hub.publish(pushedUrl, fresh)).toEqual([200]);
  seen.push = recorder.take();
  expect((await store.pendingHits(subscriberId('analyst@example.com'))).map((h) => h.title)).toContain('JAXA names the intruder');
  // The feed is removed: the hub verifies the unsubscription, which deletes the push state.
  const state = (await store.getPushStates([pushedUrl])).get(pushedUrl)!;
  expect(await store.putPushState({ ...state, state: 'unsubscribing' })).toBe(true);
  recorder.take();
  const [callback] = [...hub.subscriptions.keys()];
  expect((await hub.verify(callback!, { 'hub.mode': 'unsubscribe', 'hub.topic': pushedUrl, 'hub.challenge': 'bye' })).body).toBe('bye');
  seen.unsubscribe = recorder.take();
  expect((await store.getPushStates([pushedUrl])).size).toBe(0);

  // What only the api function may do: write a subscriber profile.
  recorder.take();
  await store.putSubscriber({
    id: subscriberId('new@example.com'),
    email: 'new@example.com',
    topics: ['jaxa'],
    frequency: 'immediate',
    timezone: 'UTC',
    status: 'active',
    source: 'api',
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
  });
  seen.profile = recorder.take();
});

afterAll(async () => {
  await callbacks?.close();
  await hub?.close();
  await feeds?.close();
  await opened?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The requests none of the function's statements allows. */
function refused(fn: NewshoundFunction, requests: readonly TableRequest[]): TableRequest[] {
  const statements = statementsOfRole(s.template, s.stack.getLogicalId(fn.role!.node.defaultChild as never));
  const tableArn = { 'Fn::GetAtt': [logicalId(s.stack, s.stack.node.findChild('State').node.findChild('Table')), 'Arn'] };
  const arnOf = (on: string) => JSON.stringify(on === 'table' ? tableArn : { 'Fn::Join': ['', [tableArn, `/${on}`]] });
  const allows = (st: Statement, r: TableRequest) => {
    if (st.Effect !== 'Allow' || !actionsOf(st).some((a) => iamLike(a, `dynamodb:${r.action}`))) return false;
    if (![st.Resource].flat().some((res) => JSON.stringify(res) === arnOf(r.on))) return false;
    if (st.Condition === undefined) return true;
    const patterns = leadingKeysOf(st);
    return patterns !== undefined && r.keys.every((key) => patterns.some((p) => iamLike(p, key)));
  };
  return requests.filter((r) => !statements.some((st) => allows(st, r)));
}

const kinds = (requests: readonly TableRequest[]) => [...new Set(requests.map((r) => `${r.action} ${r.on}`))].sort();

describe('IAM: what each service sends, its function is allowed', () => {
  it('allows the dispatcher every request of a seeding dispatch, the due-index Queries included', () => {
    expect(kinds(seen.dispatch)).toEqual(['BatchGetItem table', 'GetItem table', 'PutItem table', 'Query index/gsi1', 'Query table']);
    expect(refused(s.stack.dispatchFunction, seen.dispatch)).toEqual([]);
  });

  it('allows the worker every request of polling, recording stories, recent stories and hits, appending a source and skipping a polled feed', () => {
    expect(kinds(seen.worker)).toEqual(expect.arrayContaining(['BatchGetItem table', 'GetItem table', 'PutItem table', 'Query table', 'UpdateItem table']));
    expect(seen.worker.filter((r) => r.keys.some((key) => key.startsWith('RECENT#')))).toEqual([{ action: 'PutItem', on: 'table', keys: ['RECENT#2026-03-02'] }]);
    expect(refused(s.stack.workerFunction, seen.worker)).toEqual([]);
  });

  it('allows the sender every request of a digest sent and a run with nothing due, its lease included', () => {
    expect(kinds(seen.sender)).toEqual(expect.arrayContaining(['DeleteItem table', 'PutItem table', 'Query index/lsi1', 'UpdateItem table']));
    expect(refused(s.stack.senderFunction, seen.sender)).toEqual([]);
  });

  it('allows the api and ses-events functions to bump the live-config counter', () => {
    expect(seen.bump).toEqual([{ action: 'UpdateItem', on: 'table', keys: ['VERSION#live-config'] }]);
    for (const fn of [s.stack.apiFunction, s.stack.sesEventsFunction]) expect(refused(fn, seen.bump)).toEqual([]);
  });

  it('allows the api function the Queries of an alert preview, one per UTC day of the week kept', () => {
    expect(seen.preview).toHaveLength(9);
    expect(kinds(seen.preview)).toEqual(['Query table']);
    expect(seen.preview.map((r) => r.keys[0])).toEqual(expect.arrayContaining(['RECENT#2026-02-22', 'RECENT#2026-03-02']));
    expect(refused(s.stack.apiFunction, seen.preview)).toEqual([]);
    expect(refused(s.stack.workerFunction, seen.preview)).toEqual(seen.preview);
  });

  it('allows the worker the requests of subscribing a feed to its hub: the push state beside the feed state, and its callback pointer', () => {
    expect(seen.subscribe.filter((r) => r.action === 'PutItem').flatMap((r) => r.keys.map((k) => k.replace(/#.*/, '#')))).toEqual(expect.arrayContaining(['FEED#', 'PUSH#']));
    expect(refused(s.stack.workerFunction, seen.subscribe)).toEqual([]);
  });

  it('allows the WebSub function every request of a verification and of a signed distribution that records a story, its hit and its recent copy', () => {
    // Assess: what the callback did, by partition kind
    const written = [...new Set(seen.push.filter((r) => r.action !== 'GetItem' && r.action !== 'BatchGetItem' && r.action !== 'Query').flatMap((r) => r.keys.map((k) => `${r.action} ${k.replace(/#.*/, '#')}`)))].sort();
    expect(written).toEqual(['PutItem FEED#', 'PutItem PUSH#', 'PutItem RECENT#', 'PutItem STORY#', 'PutItem SUB#', 'UpdateItem COUNTER#']);
    expect(seen.push.filter((r) => r.keys.some((k) => k.startsWith('COUNTER#')))).toEqual([{ action: 'UpdateItem', on: 'table', keys: [expect.stringMatching(/^COUNTER#websub#http/)] }]);
    expect(refused(s.stack.websubFunction, seen.push)).toEqual([]);
    // The pages' function could not have done it: it reaches no feed state, story or hit.
    expect(refused(s.stack.apiFunction, seen.push).length).toBeGreaterThan(0);
  });

  it('allows the WebSub function to delete the push state and its pointer when the hub verifies an unsubscription', () => {
    expect(kinds(seen.unsubscribe)).toEqual(expect.arrayContaining(['DeleteItem table']));
    expect(refused(s.stack.websubFunction, seen.unsubscribe)).toEqual([]);
  });

  it('refuses the WebSub function a subscriber profile write, which the api function may make', () => {
    expect(seen.profile).toEqual([{ action: 'PutItem', on: 'table', keys: ['SUBSCRIBERS'] }]);
    expect(refused(s.stack.websubFunction, seen.profile)).toEqual(seen.profile);
    expect(refused(s.stack.apiFunction, seen.profile)).toEqual([]);
  });

  it('refuses what a function does not do: the worker sending, the dispatcher writing hits, the sender dispatching', () => {
    // The check is not vacuous: each function's requests are refused to another whose role lacks them.
    expect(refused(s.stack.workerFunction, seen.sender).length).toBeGreaterThan(0);
    expect(refused(s.stack.dispatchFunction, seen.worker).length).toBeGreaterThan(0);
    expect(refused(s.stack.senderFunction, seen.dispatch).length).toBeGreaterThan(0);
    // Of all the worker does, the api function may only list the subscribers and suppressions.
    const refusedToApi = new Set(refused(s.stack.apiFunction, seen.worker));
    const allowedToApi = seen.worker.filter((r) => !refusedToApi.has(r));
    expect(kinds(allowedToApi)).toEqual(['Query table']);
    expect([...new Set(allowedToApi.flatMap((r) => r.keys))].sort()).toEqual(['SUBSCRIBERS', 'SUPPRESSIONS']);
  });
});
