import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../lambda/adapters/config/load-config.ts';
import { ALARMED_METRIC, METRICS_NAMESPACE, SERVICE } from '../../lambda/handlers/commons/metric-names.ts';
import { actionsOf, type Statement } from './support/iam.ts';
import { FIXTURES, logicalId, synthStack, type Synthesized } from './support/synth.ts';

// One bundled synthesis shared by every test here (each synthesis runs esbuild five times).

let s: Synthesized;
let template: Template;

beforeAll(() => {
  s = synthStack({ senderDomain: 'example.org', alarmEmail: 'ops@example.org' });
  template = s.template;
});

const fnId = (fn: { node: { defaultChild?: unknown } }) => logicalId(s.stack, fn);
/** The HTTP API's URL (a deploy-time value) followed by `suffix`. */
const apiUrlPlus = (suffix: string) => {
  const api = logicalId(s.stack, s.stack.node.findChild('Api').node.findChild('HttpApi'));
  return { 'Fn::Join': ['', [{ 'Fn::GetAtt': [api, 'ApiEndpoint'] }, suffix]] };
};
const queueArn = (id: string) => ({ 'Fn::GetAtt': [logicalId(s.stack, s.stack.node.findChild(id)), 'Arn'] });

describe('functions', () => {
  it('runs every function on Node.js 22, arm64, traced, with a log group that expires', () => {
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      { Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' }, Handler: 'index.handler' },
      6,
    );
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('sizes the worker timeout for one batch of feeds, not for all, and reserves no concurrency anywhere', () => {
    // 10 jobs a batch, 12 s deadline each: 10 × 12 + 60 = 180 s (the fixture has 20 feeds: no part of it).
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Newshound worker'),
      Timeout: 180,
      MemorySize: 512,
    });
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { ReservedConcurrentExecutions: Match.anyValue() }, 0);
  });

  it('gives the pages\' function room for a week of stories in memory, for the alert preview', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Newshound subscription API'),
      MemorySize: 512,
      Timeout: 20,
    });
  });

  it('consumes the feed queue in batches of 10, at most 20 invocations at once, reporting failed messages alone', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnId(s.stack.workerFunction) },
      EventSourceArn: { 'Fn::GetAtt': [fnId(s.stack.feedQueue), 'Arn'] },
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 20 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumBatchingWindowInSeconds: Match.absent(),
    });
  });

  it('does not retry a failed dispatch or send run and drops an event older than a minute into the schedule failures', () => {
    for (const fn of [s.stack.dispatchFunction, s.stack.senderFunction]) {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: fnId(fn) },
        MaximumRetryAttempts: 0,
        MaximumEventAgeInSeconds: 60,
        DestinationConfig: { OnFailure: { Destination: queueArn('ScheduleFailures') } },
      });
    }
  });

  it('retries a bounce notification twice before parking it in its own queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnId(s.stack.sesEventsFunction) },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: queueArn('SesEventsFailures') } },
    });
  });

  it('gives each function the table, the config and what else it uses through the environment', () => {
    const tableRef = { Ref: logicalId(s.stack, s.stack.node.findChild('State').node.findChild('Table')) };
    const configurationSet = { Ref: logicalId(s.stack, s.stack.node.findChild('Ses').node.findChild('ConfigurationSet')) };
    const common = { NEWSHOUND_TABLE: tableRef, NEWSHOUND_CONFIG_PATH: 'config.json', POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE, NEWSHOUND_METRICS: 'alarms' };
    const variables = (fn: { node: { defaultChild?: unknown } }) =>
      (template.findResources('AWS::Lambda::Function')[fnId(fn)]!.Properties.Environment.Variables as Record<string, unknown>);
    expect(variables(s.stack.dispatchFunction)).toEqual(
      expect.objectContaining({ ...common, POWERTOOLS_SERVICE_NAME: SERVICE.dispatch, NEWSHOUND_FEED_QUEUE_URL: { Ref: fnId(s.stack.feedQueue) } }),
    );
    // The worker subscribes to hubs: it names the callback base, the HTTP API's URL + /websub here.
    expect(variables(s.stack.workerFunction)).toEqual(
      expect.objectContaining({ ...common, POWERTOOLS_SERVICE_NAME: SERVICE.worker, NEWSHOUND_WEBSUB_CALLBACK_URL: apiUrlPlus('/websub') }),
    );
    expect(variables(s.stack.websubFunction)).toEqual(expect.objectContaining({ ...common, POWERTOOLS_SERVICE_NAME: SERVICE.websub }));
    expect(variables(s.stack.senderFunction)).toEqual(
      expect.objectContaining({
        ...common,
        POWERTOOLS_SERVICE_NAME: SERVICE.sender,
        NEWSHOUND_SES_CONFIGURATION_SET: configurationSet,
        NEWSHOUND_PUBLIC_URL: expect.anything(),
      }),
    );
    // Only the dispatcher needs the queue's URL; the worker gets its messages from the mapping.
    expect(Object.keys(variables(s.stack.workerFunction))).not.toContain('NEWSHOUND_FEED_QUEUE_URL');
    expect(Object.keys(variables(s.stack.senderFunction))).not.toContain('NEWSHOUND_FEED_QUEUE_URL');
    // The callback needs no secret, no queue and no mail settings.
    expect(Object.keys(variables(s.stack.websubFunction)).filter((k) => /SECRET|QUEUE|SES|PUBLIC_URL/.test(k))).toEqual([]);
  });

  it('gives hubs websub.callbackUrl as the callback base when the config sets one', () => {
    // Prepare
    const custom = synthStack({ configPath: join(FIXTURES, 'websub-callback.yaml'), bundle: false });
    // Act
    const worker = custom.template.findResources('AWS::Lambda::Function')[logicalId(custom.stack, custom.stack.workerFunction)]!;
    // Assess
    expect(worker.Properties.Environment.Variables.NEWSHOUND_WEBSUB_CALLBACK_URL).toBe('https://push.example.org/hooks/websub');
    custom.template.hasOutput('WebSubCallbackUrl', { Value: 'https://push.example.org/hooks/websub' });
  });

  it('bundles the validated configuration, defaults applied, next to the worker handler', () => {
    // Prepare
    const fn = template.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp('^Newshound worker') },
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

describe('schedules', () => {
  it('invokes the dispatcher and the sender every minute on separate schedules, undelivered events joining the schedule failures', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
    for (const fn of [s.stack.dispatchFunction, s.stack.senderFunction]) {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(1 minute)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: {
          Arn: { 'Fn::GetAtt': [fnId(fn), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
          DeadLetterConfig: { Arn: queueArn('ScheduleFailures') },
          Input: Match.serializedJson(Match.objectLike({ source: 'newshound.schedule', scheduledTime: '<aws.scheduler.scheduled-time>' })),
        },
      });
    }
  });

  it('lets each scheduler role invoke its own function and write the dead-letter queue, nothing more', () => {
    for (const [id, fn] of [
      ['DispatchScheduleRole', s.stack.dispatchFunction],
      ['SendScheduleRole', s.stack.senderFunction],
    ] as const) {
      const roleId = logicalId(s.stack, s.stack.node.findChild(id));
      const policy = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }))[0]!;
      const statements = policy.Properties.PolicyDocument.Statement as Statement[];
      expect(statements.flatMap(actionsOf).sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
      const invoke = statements.find((st) => actionsOf(st).includes('lambda:InvokeFunction'))!;
      expect(JSON.stringify(invoke.Resource)).toContain(fnId(fn));
      expect(JSON.stringify(invoke.Resource)).not.toContain(fnId(fn === s.stack.dispatchFunction ? s.stack.senderFunction : s.stack.dispatchFunction));
    }
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
        GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'gsi1', KeySchema: [{ AttributeName: 'duePk', KeyType: 'HASH' }, { AttributeName: 'dueSk', KeyType: 'RANGE' }] })],
      },
    });
  });
});

describe('queues', () => {
  it('encrypts every queue and refuses plain HTTP', () => {
    template.resourceCountIs('AWS::SQS::Queue', 4);
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.resourceCountIs('AWS::SQS::QueuePolicy', 4);
    template.allResourcesProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('hides a received feed job for 6 worker timeouts, parks it after 5 receives, and keeps it long enough to get there', () => {
    // Prepare
    const queue = template.findResources('AWS::SQS::Queue')[fnId(s.stack.feedQueue)]!.Properties;
    // Assess: a job failed at every receive reaches the dead letters before it could expire.
    expect(queue).toMatchObject({
      VisibilityTimeout: 6 * 180,
      RedrivePolicy: { deadLetterTargetArn: queueArn('FeedJobFailures'), maxReceiveCount: 5 },
    });
    expect(queue.MessageRetentionPeriod).toBe(6 * 6 * 180);
    expect(queue.MessageRetentionPeriod).toBeGreaterThan(queue.RedrivePolicy.maxReceiveCount * queue.VisibilityTimeout);
  });

  it('keeps failed events and jobs 14 days for an operator to read', () => {
    for (const id of ['FeedJobFailures', 'ScheduleFailures', 'SesEventsFailures']) {
      expect(template.findResources('AWS::SQS::Queue')[logicalId(s.stack, s.stack.node.findChild(id))]!.Properties.MessageRetentionPeriod).toBe(14 * 86400);
    }
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

  it('alarms on errors of each function but the WebSub callback, whose failures are answers the hub retries', () => {
    for (const fn of [s.stack.dispatchFunction, s.stack.workerFunction, s.stack.senderFunction, s.stack.sesEventsFunction, s.stack.apiFunction]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId(fn) } }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [alarmTopicRef()],
      });
    }
  });

  it('alarms as soon as the feed-job dead letters or either failure queue holds a message', () => {
    for (const id of ['FeedJobFailures', 'ScheduleFailures', 'SesEventsFailures']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(s.stack, s.stack.node.findChild(id)), 'QueueName'] } }],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [alarmTopicRef()],
      });
    }
  });

  it('alarms when a feed job has waited more than 15 minutes', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [fnId(s.stack.feedQueue), 'QueueName'] } }],
      Statistic: 'Maximum',
      Threshold: 900,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [alarmTopicRef()],
    });
  });

  it('alarms when more than half of at least 10 polls in 15 minutes failed, off the one custom metric', () => {
    const metric = (stat: string) => ({
      MetricStat: {
        Metric: { Namespace: METRICS_NAMESPACE, MetricName: ALARMED_METRIC.feedFailurePercent, Dimensions: [{ Name: 'service', Value: SERVICE.worker }] },
        Period: 900,
        Stat: stat,
      },
      ReturnData: false,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'IF(polls >= 10, failedShare, 0)' }),
        Match.objectLike(metric('Average')),
        Match.objectLike(metric('SampleCount')),
      ]),
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
    template.resourceCountIs('AWS::CloudWatch::Alarm', 5 + 3 + 1 + 1 + 2);
    // No alarm reads the WebSub function: it answers every failure (docs/deploy.md, "Metrics and alarms").
    expect(JSON.stringify(template.findResources('AWS::CloudWatch::Alarm'))).not.toContain(fnId(s.stack.websubFunction));
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

  it('sends GET and POST /websub/{id} to the WebSub function alone, under the same throttled stage', () => {
    // Prepare: each route's integration, and the function each integration invokes
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties as { RouteKey: string; Target: { 'Fn::Join': [string, unknown[]] } });
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
    const invokes = (route: string) => {
      const target = routes.find((r) => r.RouteKey === route)!.Target['Fn::Join'][1];
      const integrationId = (target.find((part) => typeof part === 'object') as { Ref: string }).Ref;
      return integrations[integrationId]!.Properties.IntegrationUri;
    };
    const arnOf = (fn: { node: { defaultChild?: unknown } }) => ({ 'Fn::GetAtt': [fnId(fn), 'Arn'] });
    // Assess
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(['ANY /', 'ANY /{proxy+}', 'GET /websub/{id}', 'POST /websub/{id}']);
    expect(invokes('GET /websub/{id}')).toEqual(arnOf(s.stack.websubFunction));
    expect(invokes('POST /websub/{id}')).toEqual(arnOf(s.stack.websubFunction));
    expect(invokes('ANY /{proxy+}')).toEqual(arnOf(s.stack.apiFunction));
    // One stage, so its throttle covers the callbacks too: a flood of pushes costs at most 5 a second.
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: arnOf(s.stack.websubFunction),
      Principal: 'apigateway.amazonaws.com',
      SourceArn: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['/*/*/websub/{id}'])] }),
    });
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
