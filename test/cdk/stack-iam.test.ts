import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import * as keys from '../../lambda/adapters/dynamodb/keys.ts';
import type { NewshoundFunction } from '../../lib/constructs/newshound-function.ts';
import { POLL_LEADING_KEYS } from '../../lib/newshound-stack.ts';
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

function statementWith(fn: NewshoundFunction, prefix: string): Statement[] {
  return statementsOf(fn).filter((st) => actionsOf(st).some((a) => a.startsWith(prefix)));
}

const tableArn = () => ({ 'Fn::GetAtt': [logicalId(s.stack, s.stack.node.findChild('State').node.findChild('Table')), 'Arn'] });

describe('IAM: each function gets only what it uses', () => {
  it('lets the poll function read the table and its pending index, and write only its own partitions', () => {
    // Act
    const statements = statementWith(s.stack.pollFunction, 'dynamodb:');
    const read = statements.find((st) => !writesItems(st));
    const write = statements.find(writesItems);
    // Assess
    expect(statements).toHaveLength(2);
    expect(actionsOf(read!).sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:Query']);
    expect(read!.Resource).toEqual([tableArn(), { 'Fn::Join': ['', [tableArn(), '/index/lsi1']] }]);
    expect(read!.Condition).toBeUndefined();
    expect(actionsOf(write!).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(write!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['FEED#*', 'STORY#*', 'SUB#*', 'LOCK#*'] } });
  });

  it('lets the ses-events function only get and put suppressions', () => {
    const [table, ...more] = statementWith(s.stack.sesEventsFunction, 'dynamodb:');
    expect(more).toEqual([]);
    expect(actionsOf(table!).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    expect(table!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUPPRESSIONS'] } });
  });

  it('lets the api function write only subscriber profiles, rate-limit counters and token nonces, and read suppressions', () => {
    const statements = statementWith(s.stack.apiFunction, 'dynamodb:');
    const write = statements.find(writesItems);
    const suppressions = statements.find((st) => !writesItems(st));
    expect(statements).toHaveLength(2);
    expect(actionsOf(write!)).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']));
    expect(actionsOf(write!)).not.toContain('dynamodb:BatchWriteItem');
    expect(write!.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUBSCRIBERS', 'COUNTER#*', 'NONCE#*'] },
    });
    expect(actionsOf(suppressions!).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    expect(suppressions!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUPPRESSIONS'] } });
  });

  it('allows ses:SendRawEmail only on the domain identity and the configuration set, only as the From address', () => {
    // Prepare
    const configSetId = logicalId(s.stack, s.stack.node.findChild('Ses').node.findChild('ConfigurationSet'));
    const arn = (resource: string, name: unknown) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ses:eu-west-1:123456789012:${resource}/`, name]],
    });
    for (const fn of [s.stack.pollFunction, s.stack.apiFunction]) {
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
    expect(statementWith(s.stack.sesEventsFunction, 'ses:')).toEqual([]);
  });

  it('gives the token key to the poll and api functions only, by ARN in the environment', () => {
    const secretId = logicalId(s.stack, s.stack.node.findChild('TokenKey'));
    for (const fn of [s.stack.pollFunction, s.stack.apiFunction]) {
      expect(statementWith(fn, 'secretsmanager:')).toEqual([
        {
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Effect: 'Allow',
          Resource: { Ref: secretId },
        },
      ]);
    }
    expect(statementWith(s.stack.sesEventsFunction, 'secretsmanager:')).toEqual([]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ NEWSHOUND_SECRET_ARN: { Ref: secretId } }) },
    });
  });

  it('writes logs only to each function\'s own log group, with no managed policy', () => {
    for (const fn of [s.stack.pollFunction, s.stack.sesEventsFunction, s.stack.apiFunction]) {
      const [logs] = statementWith(fn, 'logs:');
      expect(logs!.Resource).toEqual({ 'Fn::GetAtt': [logicalId(s.stack, fn.logGroup), 'Arn'] });
    }
    template.allResourcesProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });
});

describe('IAM: only the api function may write subscribers', () => {
  it('finds the api function the only one whose table writes admit the SUBSCRIBERS partition', () => {
    // Act: every function in the template, not only the three the stack names
    const all = everyFunctionsStatements();
    const writers = [...all].filter(([, statements]) => statements.some((st) => admitsWriteTo(st, keys.SUBSCRIBERS_PK))).map(([id]) => id);
    // Assess
    expect([...all.keys()]).toEqual(expect.arrayContaining([functionId(s.stack.pollFunction), functionId(s.stack.sesEventsFunction), functionId(s.stack.apiFunction)]));
    expect(writers).toEqual([functionId(s.stack.apiFunction)]);
  });

  it('limits every table write of the poll and ses-events functions to named partitions', () => {
    for (const fn of [s.stack.pollFunction, s.stack.sesEventsFunction]) {
      const writes = statementsOf(fn).filter(writesItems);
      expect(writes.length).toBeGreaterThan(0);
      for (const st of writes) expect(leadingKeysOf(st), JSON.stringify(st)).toBeDefined();
    }
  });

  it('lets the ses-events function write the SUPPRESSIONS partition and nothing else', () => {
    const writes = statementsOf(s.stack.sesEventsFunction).filter(writesItems);
    const partitions = ['SUPPRESSIONS', 'SUBSCRIBERS', 'SUB#x', 'FEED#x', 'STORY#x', 'LOCK#cycle', 'COUNTER#x', 'NONCE#x', 'SUPPRESSIONSX'];
    const writable = partitions.filter((pk) => writes.some((st) => admitsWriteTo(st, pk)));
    expect(writable).toEqual(['SUPPRESSIONS']);
  });

  it('covers every partition the cycle writes, and none of the profiles or suppressions', () => {
    // Prepare: the keys the cycle writes, built by the store's own key functions
    const cycleWrites = [
      keys.feedStateKey('https://news.example/feed.xml'),
      keys.storyKey('https://news.example/a'),
      keys.hitKey('0123456789abcdef0123', 'https://news.example/a'),
      keys.digestKey('0123456789abcdef0123', 'digest-1'),
      keys.lastDigestKey('0123456789abcdef0123'),
      keys.lockKey('cycle'),
    ].map((k) => k.pk);
    const admitted = (pk: string) => POLL_LEADING_KEYS.some((pattern) => iamLike(pattern, pk));
    // Assess
    expect(cycleWrites.filter((pk) => !admitted(pk))).toEqual([]);
    expect([keys.subscriberKey('0123456789abcdef0123').pk, keys.suppressionKey('0123456789abcdef0123').pk].filter(admitted)).toEqual([]);
  });
});
