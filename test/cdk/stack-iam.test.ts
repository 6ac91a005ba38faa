import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import * as keys from '../../lambda/adapters/dynamodb/keys.ts';
import type { NewshoundFunction } from '../../lib/constructs/newshound-function.ts';
import {
  DISPATCH_READ_KEYS,
  DISPATCH_WRITE_KEYS,
  LIVE_CONFIG_PK,
  RECENT_STORY_KEYS,
  SENDER_LOCK_PK,
  SENDER_READ_KEYS,
  SENDER_WRITE_KEYS,
  WEBSUB_COUNTER_KEYS,
  WEBSUB_READ_KEYS,
  WEBSUB_WRITE_KEYS,
  WORKER_READ_KEYS,
  WORKER_WRITE_KEYS,
} from '../../lib/table-access.ts';
import { actionsOf, admitsWriteTo, iamLike, leadingKeysOf, statementsOfRole, writesItems, type Statement } from './support/iam.ts';
import { logicalId, synthStack, type Synthesized } from './support/synth.ts';

// IAM, read off one synthesis without bundling (the template is what matters here, not the code).

let s: Synthesized;
let template: Template;

beforeAll(() => {
  s = synthStack({ senderDomain: 'example.org', alarmEmail: 'ops@example.org', bundle: false });
  template = s.template;
});

/** Every statement of the policies attached to a function's role. */
function statementsOf(fn: NewshoundFunction): Statement[] {
  return statementsOfRole(template, s.stack.getLogicalId(fn.role!.node.defaultChild as never));
}

/** Every Lambda function in the template (custom-resource providers too), by logical id, with its statements. */
function everyFunctionsStatements(): Map<string, Statement[]> {
  const functions = template.findResources('AWS::Lambda::Function');
  return new Map(
    Object.entries(functions).map(([id, fn]) => [id, statementsOfRole(template, (fn.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0])]),
  );
}

const functionId = (fn: NewshoundFunction) => logicalId(s.stack, fn);
const fns = () => ({
  dispatch: s.stack.dispatchFunction,
  worker: s.stack.workerFunction,
  sender: s.stack.senderFunction,
  sesEvents: s.stack.sesEventsFunction,
  api: s.stack.apiFunction,
  websub: s.stack.websubFunction,
});

function statementWith(fn: NewshoundFunction, prefix: string): Statement[] {
  return statementsOf(fn).filter((st) => actionsOf(st).some((a) => a.startsWith(prefix)));
}

const tableId = () => logicalId(s.stack, s.stack.node.findChild('State').node.findChild('Table'));
const tableArn = () => ({ 'Fn::GetAtt': [tableId(), 'Arn'] });
const indexArn = (name: string) => ({ 'Fn::Join': ['', [tableArn(), `/index/${name}`]] });
const feedQueueArn = () => ({ 'Fn::GetAtt': [logicalId(s.stack, s.stack.feedQueue), 'Arn'] });
const likeKeys = (patterns: readonly string[]) => ({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...patterns] } });
const sorted = (st: Statement | undefined) => actionsOf(st!).sort();
const LIVE_CONFIG_READS = [LIVE_CONFIG_PK, 'FEEDS', 'SUBSCRIBERS', 'SUPPRESSIONS'];

describe('IAM: each function gets only what it uses', () => {
  it('lets the dispatcher read feed states and the live config, seed feed states, and Query the due index alone', () => {
    // Act
    const statements = statementWith(s.stack.dispatchFunction, 'dynamodb:');
    const read = statements.find((st) => !writesItems(st) && st.Condition);
    const write = statements.find(writesItems);
    const due = statements.find((st) => !st.Condition);
    // Assess
    expect(statements).toHaveLength(3);
    expect(sorted(read)).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query']);
    expect(read!.Resource).toEqual(tableArn());
    expect(read!.Condition).toEqual(likeKeys(['FEED#*', ...LIVE_CONFIG_READS]));
    expect(write).toMatchObject({ Action: 'dynamodb:PutItem', Resource: tableArn(), Condition: likeKeys(['FEED#*']) });
    // The index statement reaches the due index only, never the table's items.
    expect(due).toEqual({ Action: 'dynamodb:Query', Effect: 'Allow', Resource: indexArn('gsi1') });
  });

  it('lets the dispatcher send to the feed queue and nothing else of it', () => {
    const statements = statementWith(s.stack.dispatchFunction, 'sqs:');
    const toFeedQueue = statements.filter((st) => JSON.stringify(st.Resource) === JSON.stringify(feedQueueArn()));
    expect(toFeedQueue).toEqual([{ Action: 'sqs:SendMessage', Effect: 'Allow', Resource: feedQueueArn() }]);
  });

  it('lets the worker read feed states, stories and the live config, put or update only feed states, stories and hits, and put recent stories and callback pointers', () => {
    // Act
    const statements = statementWith(s.stack.workerFunction, 'dynamodb:');
    const read = statements.find((st) => !writesItems(st));
    const write = statements.find((st) => writesItems(st) && actionsOf(st).includes('dynamodb:UpdateItem'));
    const recent = statements.find((st) => JSON.stringify(leadingKeysOf(st)) === JSON.stringify(['RECENT#*']));
    const pointer = statements.find((st) => JSON.stringify(leadingKeysOf(st)) === JSON.stringify(['PUSH#*']));
    // Assess
    expect(statements).toHaveLength(4);
    // Subscribing writes the push state (FEED#<url> / PUSH, through the feed-state statement) and its pointer.
    expect(sorted(pointer)).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem']);
    expect(recent).toEqual({ Action: 'dynamodb:PutItem', Effect: 'Allow', Resource: tableArn(), Condition: likeKeys(['RECENT#*']) });
    expect(sorted(read)).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query']);
    expect(read!.Resource).toEqual(tableArn());
    expect(read!.Condition).toEqual(likeKeys(['FEED#*', 'STORY#*', ...LIVE_CONFIG_READS]));
    expect(sorted(write)).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(write!.Condition).toEqual(likeKeys(['FEED#*', 'STORY#*', 'SUB#*']));
  });

  it('lets the worker consume the feed queue through its event source mapping, and send to no queue', () => {
    const statements = statementWith(s.stack.workerFunction, 'sqs:');
    expect(statements.flatMap(actionsOf).sort()).toEqual([
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
    ]);
    for (const st of statements) expect(st.Resource).toEqual(feedQueueArn());
  });

  it('lets the sender read hits, their pending index, stories, its lease and the live config, and write only the ledger and its lease', () => {
    // Act
    const statements = statementWith(s.stack.senderFunction, 'dynamodb:');
    const read = statements.find((st) => !writesItems(st));
    const write = statements.find(writesItems);
    // Assess
    expect(statements).toHaveLength(2);
    expect(sorted(read)).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query']);
    expect(read!.Resource).toEqual([tableArn(), indexArn('lsi1')]);
    expect(read!.Condition).toEqual(likeKeys(['SUB#*', 'STORY#*', 'LOCK#sender', ...LIVE_CONFIG_READS]));
    expect(sorted(write)).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(write!.Condition).toEqual(likeKeys(['SUB#*', 'LOCK#sender']));
  });

  it('lets the ses-events function get and put suppressions, and bump the live-config counter', () => {
    const statements = statementWith(s.stack.sesEventsFunction, 'dynamodb:');
    expect(statements).toHaveLength(2);
    expect(sorted(statements[0])).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    expect(statements[0]!.Condition).toEqual(likeKeys(['SUPPRESSIONS']));
    expect(statements[1]).toEqual({ Action: 'dynamodb:UpdateItem', Effect: 'Allow', Resource: tableArn(), Condition: likeKeys(['VERSION#live-config']) });
  });

  it('lets the api function write only subscriber profiles, rate-limit counters, token nonces and the live-config counter, and read suppressions and recent stories', () => {
    const statements = statementWith(s.stack.apiFunction, 'dynamodb:');
    const [write, suppressions, bump, recent] = statements;
    expect(statements).toHaveLength(4);
    expect(recent).toEqual({ Action: 'dynamodb:Query', Effect: 'Allow', Resource: tableArn(), Condition: likeKeys(['RECENT#*']) });
    expect(actionsOf(write!)).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']));
    expect(actionsOf(write!)).not.toContain('dynamodb:BatchWriteItem');
    expect(write!.Condition).toEqual(likeKeys(['SUBSCRIBERS', 'COUNTER#*', 'NONCE#*']));
    expect(sorted(suppressions)).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    expect(suppressions!.Condition).toEqual(likeKeys(['SUPPRESSIONS']));
    expect(bump).toEqual({ Action: 'dynamodb:UpdateItem', Effect: 'Allow', Resource: tableArn(), Condition: likeKeys(['VERSION#live-config']) });
  });

  it('lets the WebSub function read what a poll reads and the callback pointers, and write what a poll writes, push states, pointers and its rate counters', () => {
    // Act
    const statements = statementWith(s.stack.websubFunction, 'dynamodb:');
    const [read, write, pointer, remove, counter, recent] = statements;
    // Assess
    expect(statements).toHaveLength(6);
    expect(sorted(read)).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query']);
    expect(read!.Resource).toEqual(tableArn());
    expect(read!.Condition).toEqual(likeKeys(['FEED#*', 'STORY#*', 'PUSH#*', ...LIVE_CONFIG_READS]));
    expect(sorted(write)).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(write!.Condition).toEqual(likeKeys(['FEED#*', 'STORY#*', 'SUB#*']));
    expect(sorted(pointer)).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem']);
    expect(pointer!.Condition).toEqual(likeKeys(['PUSH#*']));
    // A verified unsubscription deletes the push state; nothing else is ever deleted.
    expect(remove).toEqual({ Action: 'dynamodb:DeleteItem', Effect: 'Allow', Resource: tableArn(), Condition: likeKeys(['FEED#*']) });
    expect(counter).toEqual({ Action: 'dynamodb:UpdateItem', Effect: 'Allow', Resource: tableArn(), Condition: likeKeys(['COUNTER#websub#*', 'COUNTER#~sha256:*']) });
    expect(recent).toEqual({ Action: 'dynamodb:PutItem', Effect: 'Allow', Resource: tableArn(), Condition: likeKeys(['RECENT#*']) });
  });

  it('gives the WebSub function no mail, no secret, no queue and no index', () => {
    const statements = statementsOf(s.stack.websubFunction);
    const services = [...new Set(statements.flatMap(actionsOf).map((a) => a.split(':')[0]))].sort();
    expect(services).toEqual(['dynamodb', 'logs', 'xray']);
    expect(JSON.stringify(statements)).not.toContain('/index/');
  });

  it('allows ses:SendRawEmail only to the sender and api functions, on the domain identity and the configuration set, only as the From address', () => {
    // Prepare
    const configSetId = logicalId(s.stack, s.stack.node.findChild('Ses').node.findChild('ConfigurationSet'));
    const arn = (resource: string, name: unknown) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ses:eu-west-1:123456789012:${resource}/`, name]],
    });
    for (const fn of [s.stack.senderFunction, s.stack.apiFunction]) {
      // Act
      const statements = statementWith(fn, 'ses:');
      // Assess
      expect(statements).toHaveLength(1);
      expect(statements[0]).toEqual({
        Action: 'ses:SendRawEmail',
        Effect: 'Allow',
        Resource: [
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:eu-west-1:123456789012:identity/example.org']] },
          arn('configuration-set', { Ref: configSetId }),
        ],
        Condition: { StringEquals: { 'ses:FromAddress': 'alerts@example.org' } },
      });
    }
    for (const fn of [s.stack.dispatchFunction, s.stack.workerFunction, s.stack.sesEventsFunction, s.stack.websubFunction]) expect(statementWith(fn, 'ses:')).toEqual([]);
  });

  it('gives the token key to the sender and api functions only, by ARN in the environment', () => {
    const secretId = logicalId(s.stack, s.stack.node.findChild('TokenKey'));
    for (const fn of [s.stack.senderFunction, s.stack.apiFunction]) {
      expect(statementWith(fn, 'secretsmanager:')).toEqual([
        {
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Effect: 'Allow',
          Resource: { Ref: secretId },
        },
      ]);
    }
    for (const fn of [s.stack.dispatchFunction, s.stack.workerFunction, s.stack.sesEventsFunction, s.stack.websubFunction]) expect(statementWith(fn, 'secretsmanager:')).toEqual([]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ NEWSHOUND_SECRET_ARN: { Ref: secretId } }) },
    });
  });

  it('writes logs only to each function\'s own log group, with no managed policy', () => {
    for (const fn of Object.values(fns())) {
      const [logs] = statementWith(fn, 'logs:');
      expect(logs!.Resource).toEqual({ 'Fn::GetAtt': [logicalId(s.stack, fn.logGroup), 'Arn'] });
    }
    template.allResourcesProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });
});

describe('IAM: one function for each reach', () => {
  it('lets only the dispatcher Query the due index', () => {
    const all = everyFunctionsStatements();
    const readers = [...all].filter(([, statements]) => statements.some((st) => JSON.stringify(st.Resource).includes('/index/gsi1'))).map(([id]) => id);
    expect(readers).toEqual([functionId(s.stack.dispatchFunction)]);
  });

  it('lets only the dispatcher send to the feed queue; the others send only to their own failure queue', () => {
    // Prepare: the queues a function's async-invoke failures go to (Lambda on-failure destinations)
    const failureQueue = (id: string) => ({ 'Fn::GetAtt': [logicalId(s.stack, s.stack.node.findChild(id)), 'Arn'] });
    // Act
    const sendsTo = Object.fromEntries(
      Object.entries(fns()).map(([name, fn]) => [
        name,
        statementsOf(fn)
          .filter((st) => actionsOf(st).some((a) => iamLike(a, 'sqs:SendMessage')))
          .map((st) => st.Resource),
      ]),
    );
    // Assess
    expect(sendsTo).toEqual({
      dispatch: [failureQueue('ScheduleFailures'), feedQueueArn()],
      worker: [],
      sender: [failureQueue('ScheduleFailures')],
      sesEvents: [failureQueue('SesEventsFailures')],
      api: [],
      websub: [],
    });
  });

  it('finds the api function the only one whose table writes admit the SUBSCRIBERS partition', () => {
    // Act: every function in the template, not only the ones the stack names
    const all = everyFunctionsStatements();
    const writers = [...all].filter(([, statements]) => statements.some((st) => admitsWriteTo(st, keys.SUBSCRIBERS_PK))).map(([id]) => id);
    // Assess
    expect([...all.keys()]).toEqual(expect.arrayContaining(Object.values(fns()).map(functionId)));
    expect(writers).toEqual([functionId(s.stack.apiFunction)]);
  });

  it('lets exactly the functions that record stories write recent stories, and only the api function read them (the preview)', () => {
    // Act: every function in the template
    const pk = keys.recentStoryKey('2026-03-02T01:00:00.000Z', 'https://news.example/a').pk;
    const story = keys.storyKey('https://news.example/a').pk;
    const onTable = (st: Statement) => [st.Resource].flat().some((r) => JSON.stringify(r) === JSON.stringify(tableArn()));
    const reads = (st: Statement) => onTable(st) && actionsOf(st).some((a) => iamLike(a, 'dynamodb:Query')) && (leadingKeysOf(st) ?? ['*']).some((p) => iamLike(p, pk));
    const all = [...everyFunctionsStatements()];
    const writers = all.filter(([, statements]) => statements.some((st) => admitsWriteTo(st, pk))).map(([id]) => id);
    const storyWriters = all.filter(([, statements]) => statements.some((st) => admitsWriteTo(st, story))).map(([id]) => id);
    const readers = all.filter(([, statements]) => statements.some(reads)).map(([id]) => id);
    // Assess: whatever polls (or is pushed a feed) keeps its new stories for the preview.
    expect(writers).toContain(functionId(s.stack.workerFunction));
    expect(writers).toEqual(storyWriters);
    expect(readers).toEqual([functionId(s.stack.apiFunction)]);
  });

  it('limits every table statement but the due-index Query to named partitions', () => {
    for (const fn of Object.values(fns())) {
      const table = statementWith(fn, 'dynamodb:').filter((st) => JSON.stringify(st.Resource) !== JSON.stringify(indexArn('gsi1')));
      expect(table.length).toBeGreaterThan(0);
      for (const st of table) expect(leadingKeysOf(st), JSON.stringify(st)).toBeDefined();
    }
  });

  it('lets the ses-events function write the SUPPRESSIONS partition and the live-config counter, nothing else', () => {
    const writes = statementsOf(s.stack.sesEventsFunction).filter(writesItems);
    const partitions = ['SUPPRESSIONS', 'VERSION#live-config', 'VERSION#other', 'SUBSCRIBERS', 'SUB#x', 'FEED#x', 'STORY#x', 'RECENT#2026-03-02', 'LOCK#sender', 'COUNTER#x', 'NONCE#x', 'SUPPRESSIONSX'];
    expect(partitions.filter((pk) => writes.some((st) => admitsWriteTo(st, pk)))).toEqual(['SUPPRESSIONS', 'VERSION#live-config']);
  });
});

describe('IAM: the patterns cover the keys each service uses, and no more', () => {
  const SUBSCRIBER = '0123456789abcdef0123';
  const FEED = 'https://news.example/feed.xml';
  const STORY = 'https://news.example/a';
  const admitted = (patterns: readonly string[]) => (pk: string) => patterns.some((pattern) => iamLike(pattern, pk));
  const liveConfigReads = [keys.versionKey('live-config'), keys.storedFeedKey(FEED), keys.subscriberKey(SUBSCRIBER), keys.suppressionKey(SUBSCRIBER)].map((k) => k.pk);

  it('admits what the dispatcher reads and writes', () => {
    expect([keys.feedStateKey(FEED).pk, ...liveConfigReads].filter((pk) => !admitted(DISPATCH_READ_KEYS)(pk))).toEqual([]);
    expect([keys.feedStateKey(FEED).pk].filter((pk) => !admitted(DISPATCH_WRITE_KEYS)(pk))).toEqual([]);
  });

  it('admits what the worker reads and writes, and lets it write no profile, suppression, lease or ledger of another kind', () => {
    expect([keys.feedStateKey(FEED).pk, keys.storyKey(STORY).pk, ...liveConfigReads].filter((pk) => !admitted(WORKER_READ_KEYS)(pk))).toEqual([]);
    expect([keys.feedStateKey(FEED).pk, keys.storyKey(STORY).pk, keys.hitKey(SUBSCRIBER, STORY).pk].filter((pk) => !admitted(WORKER_WRITE_KEYS)(pk))).toEqual([]);
    const forbidden = [keys.subscriberKey(SUBSCRIBER), keys.suppressionKey(SUBSCRIBER), keys.lockKey('sender'), keys.storedFeedKey(FEED), keys.versionKey('live-config')].map((k) => k.pk);
    expect(forbidden.filter(admitted(WORKER_WRITE_KEYS))).toEqual([]);
  });

  it('admits the recent stories of any day, and nothing else', () => {
    const recent = ['2026-03-02T01:00:00.000Z', '2026-12-31T23:59:59.999Z'].map((at) => keys.recentStoryKey(at, STORY).pk);
    expect(recent.filter((pk) => !admitted(RECENT_STORY_KEYS)(pk))).toEqual([]);
    const others = [keys.storyKey(STORY), keys.feedStateKey(FEED), keys.subscriberKey(SUBSCRIBER), keys.hitKey(SUBSCRIBER, STORY), keys.versionKey('live-config')].map((k) => k.pk);
    expect(others.filter(admitted(RECENT_STORY_KEYS))).toEqual([]);
  });

  it('admits what the WebSub function reads and writes, and lets it write no profile, suppression, lease, live config or other counter', () => {
    const push = [keys.pushStateKey(FEED), keys.pushCallbackKey('0123456789abcdef0123456789abcdef')].map((k) => k.pk);
    expect([keys.feedStateKey(FEED).pk, keys.storyKey(STORY).pk, ...push, ...liveConfigReads].filter((pk) => !admitted(WEBSUB_READ_KEYS)(pk))).toEqual([]);
    expect([keys.feedStateKey(FEED).pk, keys.storyKey(STORY).pk, keys.hitKey(SUBSCRIBER, STORY).pk].filter((pk) => !admitted(WEBSUB_WRITE_KEYS)(pk))).toEqual([]);
    // The per-feed push counter, for an ordinary feed URL and for one too long for a key part.
    const counters = [keys.counterKey(`websub#${FEED}`, 0), keys.counterKey(`websub#${FEED}?${'q'.repeat(600)}`, 0)].map((k) => k.pk);
    expect(counters.filter((pk) => !admitted(WEBSUB_COUNTER_KEYS)(pk))).toEqual([]);
    expect([keys.counterKey('subscribe-ip#203.0.113.9', 0).pk].filter(admitted(WEBSUB_COUNTER_KEYS))).toEqual([]);
    const forbidden = [keys.subscriberKey(SUBSCRIBER), keys.suppressionKey(SUBSCRIBER), keys.lockKey('sender'), keys.storedFeedKey(FEED), keys.versionKey('live-config')].map((k) => k.pk);
    expect(forbidden.filter(admitted([...WEBSUB_WRITE_KEYS, 'PUSH#*', ...WEBSUB_COUNTER_KEYS]))).toEqual([]);
  });

  it('admits what the sender reads and writes, its own lease only', () => {
    const ledger = [keys.hitKey(SUBSCRIBER, STORY), keys.digestKey(SUBSCRIBER, 'digest-1'), keys.lastDigestKey(SUBSCRIBER), keys.lockKey('sender')].map((k) => k.pk);
    expect([...ledger, keys.storyKey(STORY).pk, ...liveConfigReads].filter((pk) => !admitted(SENDER_READ_KEYS)(pk))).toEqual([]);
    expect(ledger.filter((pk) => !admitted(SENDER_WRITE_KEYS)(pk))).toEqual([]);
    expect(SENDER_LOCK_PK).toBe('LOCK#sender');
    const forbidden = [keys.lockKey('cycle'), keys.subscriberKey(SUBSCRIBER), keys.suppressionKey(SUBSCRIBER), keys.feedStateKey(FEED), keys.storyKey(STORY)].map((k) => k.pk);
    expect(forbidden.filter(admitted(SENDER_WRITE_KEYS))).toEqual([]);
  });
});
