import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CfnOutput, Duration, Stack, Stage, Validations, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { SUBSCRIBERS_PK, SUPPRESSIONS_PK } from '../lambda/adapters/dynamodb/keys.ts';
import { compileConfigTopics } from '../lambda/core/config/compile-config.ts';
import { loadConfigFile } from '../lambda/adapters/config/load-config.ts';
import type { Config } from '../lambda/core/config/schema.ts';
import { SERVICE, type MetricsLevel } from '../lambda/handlers/commons/metric-names.ts';
import { ENV } from '../lambda/handlers/env.ts';
import { NewshoundFunction } from './constructs/newshound-function.ts';
import { notificationTopic, topicEncryptionKey } from './constructs/notification-topics.ts';
import { NewshoundTable } from './constructs/newshound-table.ts';
import { OperationsAlarms } from './constructs/operations-alarms.ts';
import { SesSending } from './constructs/ses-sending.ts';
import { SubscriptionApi } from './constructs/subscription-api.ts';
import { pollEventMaxAgeSeconds, pollTimeoutSeconds } from './poll-sizing.ts';
import { resolveSender } from './sender.ts';

export interface NewshoundStackProps extends StackProps {
  /** newshound.yaml, validated at synth with the CLI's own loader. */
  readonly configPath: string;
  /** Create and verify this email identity (must be mail.from's address). @default none created */
  readonly senderEmail?: string;
  /** Create this domain identity with Easy DKIM (must be mail.from's domain). @default none created */
  readonly senderDomain?: string;
  /** Subscribe this address to the alarm topic. @default no subscription */
  readonly alarmEmail?: string;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Reserve one concurrent execution for the poll function so no two cycles run at once. Accounts
   * whose concurrency limit is still 10 cannot reserve any; turn this off there (the table lock
   * still keeps cycles apart). @default true
   */
  readonly reservePollConcurrency?: boolean;
  /**
   * `alarms`: the functions emit only the metric an alarm reads, the other figures are log fields;
   * `full`: every metric and a cold-start metric per function ($0.30 a month each). @default 'alarms'
   */
  readonly metrics?: MetricsLevel;
  /**
   * Encrypt the two SNS topics with a customer-managed KMS key ($1.00 a month); the AWS-managed
   * key cannot serve them (lib/constructs/notification-topics.ts). @default false
   */
  readonly encryptTopics?: boolean;
}

// Who may write what (IAM dynamodb:LeadingKeys; key shapes in lambda/adapters/dynamodb/keys.ts).
// Only the api function may write subscriber profiles (pk SUBSCRIBERS); the bounce handler writes
// only suppressions; the cycle writes only its own partitions and reads the rest.

/**
 * Partitions the subscription API may write: the subscriber profiles, the rate-limit counters and
 * the consumed token nonces. Feed state, stories, hits, the digest ledger, the cycle lock and the
 * suppressions stay out of its reach.
 */
const API_LEADING_KEYS = [SUBSCRIBERS_PK, 'COUNTER#*', 'NONCE#*'] as const;
const API_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
] as const;
/** The API reads suppressions (a bounced address is never mailed, not even a confirmation). */
const API_SUPPRESSION_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query'] as const;

/** The ses-events handler checks and records suppressions, nothing else. */
const SES_EVENTS_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem'] as const;
const SES_EVENTS_LEADING_KEYS = [SUPPRESSIONS_PK] as const;

/**
 * Partitions the cycle writes: feed state, stories, each subscriber's hits and digest ledger
 * (`SUB#<id>`, which `SUBSCRIBERS` does not match) and the cycle lock. It reads the whole table
 * (subscriber profiles and suppressions included) but writes none of the rest.
 */
export const POLL_LEADING_KEYS = ['FEED#*', 'STORY#*', 'SUB#*', 'LOCK#*'] as const;
const POLL_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'] as const;

/** Newshound: scheduled polling, DynamoDB state, SES digests, bounce handling, subscription API. */
export class NewshoundStack extends Stack {
  readonly config: Config;
  readonly pollFunction: NewshoundFunction;
  readonly sesEventsFunction: NewshoundFunction;
  readonly apiFunction: NewshoundFunction;

  constructor(scope: Construct, id: string, props: NewshoundStackProps) {
    super(scope, id, props);
    // Same loader and query compiler as `newshound check`: a bad file fails synth with its message.
    const config = loadConfigFile(props.configPath);
    compileConfigTopics(config, props.configPath);
    this.config = config;
    const sender = resolveSender(config.mail.from, props);
    const configFile = writeConfigForBundle(config, Stage.of(this)?.outdir ?? tmpdir());
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;

    /** Holds feed state, stories, hits, subscribers and the send-once ledger; outlives the stack. */
    const table = new NewshoundTable(this, 'State');

    /** HMAC key for unsubscribe/manage/confirm tokens; never in code or plain environment variables. */
    const tokenKey = new secretsmanager.Secret(this, 'TokenKey', {
      description: 'Newshound: HMAC key signing unsubscribe, confirm and manage links',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(tokenKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Rotating the signing key would invalidate every unsubscribe link already in inboxes; rotate by hand (docs/deploy.md).',
    });

    /** Only on request: SES and CloudWatch cannot publish to topics under the AWS-managed key. */
    const topicKey = props.encryptTopics ? topicEncryptionKey(this, 'TopicKey') : undefined;
    const metricsLevel = props.metrics ?? 'alarms';

    const ses = new SesSending(this, 'Ses', { sender, topicKey });
    const sending = {
      identityArns: ses.identityArns,
      configurationSetArn: ses.configurationSetArn,
      configurationSetName: ses.configurationSet.configurationSetName,
      fromAddress: sender.fromAddress,
    };

    /** Subscribe / confirm / manage / unsubscribe: the pages and API of docs/subscriptions.md. */
    this.apiFunction = new NewshoundFunction(this, 'ApiFunction', {
      entry: 'lambda/handlers/api.ts',
      description: 'Newshound subscription API',
      serviceName: SERVICE.api,
      metricsLevel,
      timeout: Duration.seconds(10),
      logRetention,
      configFile,
    })
      .bindTable({ table, access: API_TABLE_ACTIONS, leadingKeys: API_LEADING_KEYS })
      .bindTable({ table, access: API_SUPPRESSION_ACTIONS, leadingKeys: [SUPPRESSIONS_PK] })
      .bindSecret(tokenKey)
      .bindSesSending(sending);
    const api = new SubscriptionApi(this, 'Api', { handler: this.apiFunction, logRetention });
    const publicUrl = config.mail.publicUrl ?? api.url;
    this.apiFunction.addEnvironment(ENV.publicUrl, publicUrl);

    /**
     * Poll events that never became a cycle: failed or expired in Lambda, or not delivered by the
     * scheduler. Never redriven (the next scheduled cycle does the work), only read for the reason;
     * one queue for both sources keeps it to one depth alarm (docs/deploy.md, "What it costs").
     */
    const pollFailures = failureQueue(this, 'PollFailures');
    const pollMaxAge = Duration.seconds(pollEventMaxAgeSeconds(config));
    /** One cycle: poll every feed, record hits, send due digests. */
    this.pollFunction = new NewshoundFunction(this, 'PollFunction', {
      entry: 'lambda/handlers/poll.ts',
      description: 'Newshound cycle: poll feeds, match, record hits, send due digests',
      serviceName: SERVICE.poll,
      metricsLevel,
      memorySize: 512,
      timeout: Duration.seconds(pollTimeoutSeconds(config)),
      logRetention,
      configFile,
      reservedConcurrentExecutions: props.reservePollConcurrency === false ? undefined : 1,
      // The next scheduled cycle is the retry: a Lambda retry would only race it.
      retryAttempts: 0,
      maxEventAge: pollMaxAge,
      onFailure: new SqsDestination(pollFailures),
      environment: { [ENV.publicUrl]: publicUrl },
    })
      .bindTable({ table, access: 'read' })
      .bindTable({ table, access: POLL_WRITE_ACTIONS, leadingKeys: POLL_LEADING_KEYS })
      .bindSecret(tokenKey)
      .bindSesSending(sending);

    const schedulerRole = new iam.Role(this, 'PollScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: 'Newshound: EventBridge Scheduler invoking the poll function',
    });
    Validations.of(schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${this.pollFunction.arnFindingRef}:*]`,
      reason: 'grantInvoke covers the poll function\'s own versions and aliases (<function ARN>:*), nothing else.',
    });
    /** Every schedule.pollMinutes: invoke the poll function asynchronously. */
    const schedule = new scheduler.Schedule(this, 'PollSchedule', {
      description: `Newshound cycle every ${config.schedule.pollMinutes} minute(s)`,
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(config.schedule.pollMinutes)),
      timeWindow: scheduler.TimeWindow.off(),
      target: new targets.LambdaInvoke(this.pollFunction, {
        role: schedulerRole,
        input: scheduler.ScheduleTargetInput.fromObject({
          source: 'newshound.schedule',
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
          executionId: scheduler.ContextAttribute.executionId,
        }),
        retryAttempts: 2,
        maxEventAge: pollMaxAge,
        deadLetterQueue: pollFailures,
      }),
    });

    /** SES notifications whose handling failed twice, or that SNS could not deliver. */
    const sesEventsFailures = failureQueue(this, 'SesEventsFailures');
    /** Records bounced and complaining addresses as suppressions: no digest goes to them again. */
    this.sesEventsFunction = new NewshoundFunction(this, 'SesEventsFunction', {
      entry: 'lambda/handlers/ses-events.ts',
      description: 'Newshound: suppress bounced and complaining subscribers',
      serviceName: SERVICE.sesEvents,
      metricsLevel,
      timeout: Duration.seconds(30),
      logRetention,
      // Two retries: a transient DynamoDB error must not leave a bouncing address active.
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(sesEventsFailures),
    }).bindTable({ table, access: SES_EVENTS_TABLE_ACTIONS, leadingKeys: SES_EVENTS_LEADING_KEYS });
    ses.eventsTopic.addSubscription(
      new subscriptions.LambdaSubscription(this.sesEventsFunction, { deadLetterQueue: sesEventsFailures }),
    );

    /** Where every alarm goes; email-subscribed when alarmEmail is given. */
    const alarmTopic = notificationTopic(this, 'AlarmTopic', { displayName: 'Newshound alarms', carries: 'alarms', key: topicKey });
    if (props.alarmEmail) alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    new OperationsAlarms(this, 'Alarms', {
      alarmTopic,
      functions: { Poll: this.pollFunction, SesEvents: this.sesEventsFunction, Api: this.apiFunction },
      queues: { PollFailures: pollFailures, SesEventsFailures: sesEventsFailures },
      pollMinutes: config.schedule.pollMinutes,
    });

    new CfnOutput(this, 'TableName', { value: table.table.tableName });
    new CfnOutput(this, 'ApiUrl', { value: api.url });
    new CfnOutput(this, 'ConfigurationSetName', { value: ses.configurationSet.configurationSetName });
    new CfnOutput(this, 'PollFunctionName', { value: this.pollFunction.functionName });
    new CfnOutput(this, 'ScheduleName', { value: schedule.scheduleName });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarmTopic.topicArn });
  }
}

/** An encrypted, TLS-only queue that collects failed events for an operator (14 days to look). */
function failureQueue(scope: Construct, id: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is itself a dead-letter / on-failure destination.',
  });
  return queue;
}

/**
 * Writes the validated config (defaults applied) as JSON into the cloud assembly directory, for the
 * bundling hook to copy next to the handler. Named by content: a change changes the asset hash.
 */
function writeConfigForBundle(config: Config, dir: string): string {
  const json = `${JSON.stringify(config, null, 2)}\n`;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `newshound-config.${createHash('sha256').update(json).digest('hex').slice(0, 16)}.json`);
  writeFileSync(file, json);
  return file;
}
