import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../lambda/adapters/config/load-config.ts';
import { ALARMED_METRIC, METRICS_NAMESPACE, SERVICE } from '../../lambda/handlers/commons/metric-names.ts';
import { actionsOf, type Statement } from './support/iam.ts';
import { FIXTURES, logicalId, synthStack, type Synthesized } from './support/synth.ts';

// One bundled synthesis shared by every test here (each synthesis runs esbuild three times).

let s: Synthesized;
let template: Template;

beforeAll(() => {
  s = synthStack({ senderDomain: 'example.org', alarmEmail: 'ops@example.org' });
  template = s.template;
});

describe('functions', () => {
  it('runs every function on Node.js 22, arm64, traced, with a log group that expires', () => {
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      { Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' }, Handler: 'index.handler' },
      3,
    );
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('sizes the poll timeout from the feed count, concurrency and deadline, and runs one cycle at a time', () => {
    // 20 feeds, 4 at a time, 12 s each: ceil(20 / 4) × 12 + 60 = 120 s.
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Newshound cycle'),
      Timeout: 120,
      MemorySize: 512,
      ReservedConcurrentExecutions: 1,
    });
  });

  it('does not retry a failed cycle and drops a cycle older than one poll interval into a queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(s.stack, s.stack.pollFunction) },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 15 * 60,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(s.stack, s.stack.node.findChild('PollFailures')), 'Arn'] } } },
    });
  });

  it('retries a bounce notification twice before parking it in its own queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(s.stack, s.stack.sesEventsFunction) },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(s.stack, s.stack.node.findChild('SesEventsFailures')), 'Arn'] } },
      },
    });
  });

  it('gives the functions the table, configuration set and public URL through the environment', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Newshound cycle'),
      Environment: {
        Variables: Match.objectLike({
          NEWSHOUND_TABLE: { Ref: logicalId(s.stack, s.stack.node.findChild('State').node.findChild('Table')) },
          NEWSHOUND_CONFIG_PATH: 'config.json',
          NEWSHOUND_SES_CONFIGURATION_SET: { Ref: logicalId(s.stack, s.stack.node.findChild('Ses').node.findChild('ConfigurationSet')) },
          NEWSHOUND_PUBLIC_URL: Match.anyValue(),
          POWERTOOLS_SERVICE_NAME: SERVICE.poll,
          POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
          NEWSHOUND_METRICS: 'alarms',
        }),
      },
    });
  });

  it('bundles the validated configuration, defaults applied, next to the poll handler', () => {
    // Prepare
    const fn = template.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp('^Newshound cycle') },
    });
    const key = (Object.values(fn)[0]!.Properties.Code.S3Key as string).replace(/\.zip$/, '');
    const assetDir = join(s.outdir, `asset.${key}`);
    // Act
    const shipped = JSON.parse(readFileSync(join(assetDir, 'config.json'), 'utf8'));
    // Assess
    expect(existsSync(join(assetDir, 'index.mjs'))).toBe(true);
    expect(shipped).toEqual(loadConfigFile(join(FIXTURES, 'newshound.yaml')));
    expect(shipped.fetch.maxBytes).toBe(5_000_000);
  });
});

describe('schedule', () => {
  it('invokes the poll function every schedule.pollMinutes with its own retries, undelivered events joining the poll failures', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(15 minutes)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [logicalId(s.stack, s.stack.pollFunction), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 900 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(s.stack, s.stack.node.findChild('PollFailures')), 'Arn'] } },
        Input: Match.serializedJson(
          Match.objectLike({ source: 'newshound.schedule', scheduledTime: '<aws.scheduler.scheduled-time>' }),
        ),
      },
    });
  });

  it('lets the scheduler role invoke the poll function and write its dead-letter queue, nothing more', () => {
    const roleId = logicalId(s.stack, s.stack.node.findChild('PollScheduleRole'));
    const policy = Object.values(
      template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
    )[0]!;
    const statements = policy.Properties.PolicyDocument.Statement as Statement[];
    expect(statements.flatMap(actionsOf).sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
  });
});

describe('table', () => {
  it('is on-demand, recoverable, TTL on expiresAt, protected and retained', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        LocalSecondaryIndexes: [Match.objectLike({ IndexName: 'lsi1' })],
      },
    });
  });
});

describe('queues', () => {
  it('encrypts every queue and refuses plain HTTP', () => {
    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86400 });
    template.resourceCountIs('AWS::SQS::QueuePolicy', 2);
    template.allResourcesProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('SES', () => {
  it('sends through a configuration set with reputation metrics that publishes bounces and complaints to SNS', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      ReputationOptions: { ReputationMetricsEnabled: true },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint'],
        SnsDestination: { TopicARN: { Ref: logicalId(s.stack, s.stack.node.findChild('Ses').node.findChild('EventsTopic')) } },
      },
    });
  });

  it('subscribes the ses-events function to the events topic, with a dead-letter queue', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: logicalId(s.stack, s.stack.node.findChild('Ses').node.findChild('EventsTopic')) },
      Endpoint: { 'Fn::GetAtt': [logicalId(s.stack, s.stack.sesEventsFunction), 'Arn'] },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(s.stack, s.stack.node.findChild('SesEventsFailures')), 'Arn'] } },
    });
  });

  it('creates the domain identity with Easy DKIM in the configuration set when asked', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'example.org',
      DkimAttributes: Match.absent(),
      ConfigurationSetAttributes: { ConfigurationSetName: Match.anyValue() },
    });
  });

  it('lets both topics take TLS requests only', () => {
    template.resourceCountIs('AWS::SNS::Topic', 2);
    template.resourceCountIs('AWS::SNS::TopicPolicy', 2);
    template.allResourcesProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('alarms', () => {
  const alarmTopicRef = () => ({ Ref: logicalId(s.stack, s.stack.node.findChild('AlarmTopic')) });

  it('alarms on errors of each function', () => {
    for (const fn of [s.stack.pollFunction, s.stack.sesEventsFunction, s.stack.apiFunction]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(s.stack, fn) } }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [alarmTopicRef()],
      });
    }
  });

  it('alarms as soon as either failure queue holds a message', () => {
    for (const id of ['PollFailures', 'SesEventsFailures']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(s.stack, s.stack.node.findChild(id)), 'QueueName'] } }],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [alarmTopicRef()],
      });
    }
  });

  it('alarms when more than half of the feeds fail in a cycle, reading one metric per cycle', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRICS_NAMESPACE,
      MetricName: ALARMED_METRIC.feedFailurePercent,
      Dimensions: [{ Name: 'service', Value: SERVICE.poll }],
      Statistic: 'Maximum',
      Period: 900,
      Threshold: 50,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [alarmTopicRef()],
    });
  });

  it('alarms at an SES bounce rate of 5% and a complaint rate of 0.1%', () => {
    for (const [name, threshold] of [
      ['Reputation.BounceRate', 0.05],
      ['Reputation.ComplaintRate', 0.001],
    ] as const) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SES',
        MetricName: name,
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [alarmTopicRef()],
      });
    }
  });

  it('has exactly those alarms and mails them to the alarm address', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3 + 2 + 1 + 2);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.org', TopicArn: alarmTopicRef() });
  });
});

describe('subscription API', () => {
  it('routes every path to the api function behind a throttled, logged default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.not(Match.stringLikeRegexp('querystring|\\$context\\.path\\?')) },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /{proxy+}' });
  });
});

describe('cdk-nag', () => {
  it('reports no unacknowledged AwsSolutions finding, and every acknowledgement has a reason', () => {
    // Act
    const report = new AwsSolutionsChecks(s.app).validateScope(s.stack);
    // Assess
    expect(report.violations.map((v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.resourceLogicalId).join(',')}`)).toEqual([]);
    const acknowledgements = s.stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((m) => Object.values(m.data as Record<string, unknown>));
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const reason of acknowledgements) expect(JSON.stringify(reason)).toMatch(/\w{3,}.*\w{3,}/);
  });
});
