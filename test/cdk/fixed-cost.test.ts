import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { METRICS_NAMESPACE } from '../../lambda/handlers/commons/metric-names.ts';
import { logicalId, synthStack, type Synthesized } from './support/synth.ts';

// What the stack costs every month whatever it does (docs/deploy.md, "What it costs per month"),
// read off the synthesized template at the us-east-1 list prices that table uses. The custom
// metrics counted are those the alarms read; that the functions emit no others by default is
// checked on the bundles (bundled-asset.test.ts) and the handlers (test/handlers).

const PRICE = { alarmMetric: 0.1, customMetric: 0.3, kmsKey: 1.0, secret: 0.4 };

interface AlarmProps {
  Namespace?: string;
  MetricName?: string;
  Metrics?: Array<{ MetricStat?: { Metric: { Namespace: string; MetricName: string } } }>;
}

function alarmsOf(template: Template): AlarmProps[] {
  return Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r) => r.Properties as AlarmProps);
}

/** Every metric each alarm reads, as `namespace/name`. */
function alarmMetrics(template: Template): string[] {
  return alarmsOf(template).flatMap((a) =>
    a.MetricName
      ? [`${a.Namespace}/${a.MetricName}`]
      : (a.Metrics ?? []).flatMap((m) => (m.MetricStat ? [`${m.MetricStat.Metric.Namespace}/${m.MetricStat.Metric.MetricName}`] : [])),
  );
}

function fixedMonthlyCost(template: Template): number {
  const read = alarmMetrics(template);
  const custom = new Set(read.filter((m) => m.startsWith(`${METRICS_NAMESPACE}/`)));
  const count = (type: string) => Object.keys(template.findResources(type)).length;
  return (
    read.length * PRICE.alarmMetric +
    custom.size * PRICE.customMetric +
    count('AWS::KMS::Key') * PRICE.kmsKey +
    count('AWS::SecretsManager::Secret') * PRICE.secret
  );
}

const nagFindings = (s: Synthesized) =>
  new AwsSolutionsChecks(s.app).validateScope(s.stack).violations.map((v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.resourceLogicalId).join(',')}`);

let lean: Synthesized;
let full: Synthesized;
let encrypted: Synthesized;

beforeAll(() => {
  lean = synthStack({ alarmEmail: 'ops@example.org', bundle: false });
  full = synthStack({ alarmEmail: 'ops@example.org', metrics: 'full', bundle: false });
  encrypted = synthStack({ alarmEmail: 'ops@example.org', encryptTopics: true, bundle: false });
});

describe('fixed monthly cost', () => {
  it('is $2.00 by default: 13 alarm metrics, 1 custom metric, the token secret, no KMS key', () => {
    expect(alarmMetrics(lean.template)).toHaveLength(13);
    lean.template.resourceCountIs('AWS::KMS::Key', 0);
    expect(fixedMonthlyCost(lean.template)).toBeCloseTo(2.0, 5);
  });

  it('keeps the alarms on function errors, queue depth and age, the failing-poll share and SES reputation', () => {
    expect(alarmMetrics(lean.template).sort()).toEqual([
      'AWS/Lambda/Errors',
      'AWS/Lambda/Errors',
      'AWS/Lambda/Errors',
      'AWS/Lambda/Errors',
      'AWS/Lambda/Errors',
      'AWS/SES/Reputation.BounceRate',
      'AWS/SES/Reputation.ComplaintRate',
      'AWS/SQS/ApproximateAgeOfOldestMessage',
      'AWS/SQS/ApproximateNumberOfMessagesVisible',
      'AWS/SQS/ApproximateNumberOfMessagesVisible',
      'AWS/SQS/ApproximateNumberOfMessagesVisible',
      // The failing-poll alarm reads its one custom metric twice (Average and SampleCount).
      'Newshound/FeedFailurePercent',
      'Newshound/FeedFailurePercent',
    ]);
  });

  it('adds $1.00 for the topic key only when encryptTopics asks for it', () => {
    expect(fixedMonthlyCost(encrypted.template)).toBeCloseTo(3.0, 5);
  });
});

describe('SNS topic encryption', () => {
  it('leaves both topics without a KMS key by default, and cdk-nag is told why', () => {
    lean.template.allResourcesProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.absent() });
    const topics = [lean.stack.node.findChild('AlarmTopic'), lean.stack.node.findChild('Ses').node.findChild('EventsTopic')];
    const reasons = topics.map((topic) =>
      topic.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').map((m) => JSON.stringify(m.data)),
    );
    for (const acknowledged of reasons) expect(acknowledged.join()).toMatch(/AwsSolutions-SNS2.*customer-managed key/);
    expect(nagFindings(lean)).toEqual([]);
  });

  it('encrypts both topics with one rotating key SES and CloudWatch may use when asked', () => {
    const key = { Ref: logicalId(encrypted.stack, encrypted.stack.node.findChild('TopicKey')) };
    encrypted.template.resourceCountIs('AWS::SNS::Topic', 2);
    encrypted.template.allResourcesProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [key.Ref, 'Arn'] } });
    encrypted.template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'ses.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'] }),
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'] }),
        ]),
      },
    });
    expect(nagFindings(encrypted)).toEqual([]);
  });
});

describe('metrics level', () => {
  it('tells every function to emit only what the alarms read by default, everything with metrics=full', () => {
    for (const [s, level] of [
      [lean, 'alarms'],
      [full, 'full'],
    ] as const) {
      s.template.resourcePropertiesCountIs(
        'AWS::Lambda::Function',
        { Environment: { Variables: Match.objectLike({ NEWSHOUND_METRICS: level }) } },
        6,
      );
    }
  });

  it('keeps the same alarms with metrics=full', () => {
    expect(alarmsOf(full.template)).toEqual(alarmsOf(lean.template));
  });
});
