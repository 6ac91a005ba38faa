import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CfnOutput, Duration, Stack, Stage, Validations, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { SUPPRESSIONS_PK } from '../lambda/adapters/dynamodb/keys.ts';
import { DUE_INDEX, PENDING_INDEX } from '../lambda/adapters/dynamodb/table-definition.ts';
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
import { SubscriptionApi, WEBSUB_PATH } from './constructs/subscription-api.ts';
import { resolveSender } from './sender.ts';
import {
  DISPATCH_READ_KEYS,
  DISPATCH_WRITE_KEYS,
  DISPATCH_WRITE_ACTIONS,
  WORKER_READ_KEYS,
  WORKER_WRITE_KEYS,
  WORKER_WRITE_ACTIONS,
  RECENT_STORY_WRITE,
  RECENT_STORY_READ,
  WEBSUB_READ_KEYS,
  WEBSUB_WRITE_KEYS,
  WEBSUB_WRITE_ACTIONS,
  PUSH_POINTER_WRITE,
  WEBSUB_DELETE,
  WEBSUB_RATE_LIMIT,
  SENDER_READ_KEYS,
  SENDER_WRITE_KEYS,
  SENDER_WRITE_ACTIONS,
  API_LEADING_KEYS,
  API_TABLE_ACTIONS,
  API_SUPPRESSION_ACTIONS,
  SES_EVENTS_TABLE_ACTIONS,
  SES_EVENTS_LEADING_KEYS,
  BUMP_LIVE_CONFIG,
} from './table-access.ts';
import { VISIBILITY_PER_WORKER_TIMEOUT, WORKER_DEFAULTS, workerTimeoutSeconds } from './worker-sizing.ts';

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
  /** Feed jobs one worker invocation takes (1 to 10; lib/worker-sizing.ts). @default 10 */
  readonly workerBatchSize?: number;
  /** Worker invocations reading the feed queue at once (event source mapping maxConcurrency). @default 20 */
  readonly workerMaxConcurrency?: number;
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

/** How long a scheduled event may wait: the next one, a minute later, does the same work. */
const SCHEDULED_EVENT_MAX_AGE = Duration.seconds(60);
/** Receives of a job before it is parked in the dead-letter queue (5 store errors in a row). */
const FEED_JOB_MAX_RECEIVES = 5;
/** A job older than this is stale: its feed, still due, has been queued again since. */
const FEED_JOB_STALE_SECONDS = 3600;

/**
 * Newshound: a dispatcher queues due feeds every minute, workers poll them from SQS, a sender mails
 * due digests every minute; DynamoDB state, SES digests, bounce handling, subscription API.
 */
export class NewshoundStack extends Stack {
  readonly config: Config;
  readonly dispatchFunction: NewshoundFunction;
  readonly workerFunction: NewshoundFunction;
  readonly senderFunction: NewshoundFunction;
  readonly sesEventsFunction: NewshoundFunction;
  readonly apiFunction: NewshoundFunction;
  readonly websubFunction: NewshoundFunction;
  readonly feedQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: NewshoundStackProps) {
    super(scope, id, props);
    // Same loader and query compiler as `newshound check`: a bad file fails synth with its message.
    const config = loadConfigFile(props.configPath);
    compileConfigTopics(config, props.configPath);
    this.config = config;
    const sender = resolveSender(config.mail.from, props);
    const configFile = writeConfigForBundle(config, Stage.of(this)?.outdir ?? tmpdir());
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const batchSize = props.workerBatchSize ?? WORKER_DEFAULTS.batchSize;
    const maxConcurrency = props.workerMaxConcurrency ?? WORKER_DEFAULTS.maxConcurrency;

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
      // The alert preview keeps a week of stories' text in memory (README, "Personal alerts"):
      // 50,000 stories of about 1,300 characters are some 100 MB, and their cold read some seconds.
      memorySize: 512,
      timeout: Duration.seconds(20),
      logRetention,
      configFile,
    })
      .bindTable({ table, access: API_TABLE_ACTIONS, leadingKeys: API_LEADING_KEYS })
      .bindTable({ table, access: API_SUPPRESSION_ACTIONS, leadingKeys: [SUPPRESSIONS_PK] })
      .bindTable({ table, ...BUMP_LIVE_CONFIG })
      .bindTable({ table, ...RECENT_STORY_READ })
      .bindSecret(tokenKey)
      .bindSesSending(sending);

    /**
     * Hubs' callbacks (docs/feeds.md, "Push (WebSub)"): verifies intents and records signed pushes
     * through the poll path. Its own function so that the pages' role never reaches feed states,
     * stories or hits, and this one never reaches subscribers, the ledger or SES.
     */
    this.websubFunction = new NewshoundFunction(this, 'WebSubFunction', {
      entry: 'lambda/handlers/websub.ts',
      description: 'Newshound WebSub callback: verify hub intents, record pushed entries',
      serviceName: SERVICE.websub,
      metricsLevel,
      // A pushed body is parsed like a polled one (up to fetch.maxBytes).
      memorySize: 512,
      // The HTTP API waits at most 30 s for its integration.
      timeout: Duration.seconds(29),
      logRetention,
      configFile,
    })
      .bindTable({ table, access: 'read', leadingKeys: WEBSUB_READ_KEYS })
      .bindTable({ table, access: WEBSUB_WRITE_ACTIONS, leadingKeys: WEBSUB_WRITE_KEYS })
      .bindTable({ table, ...PUSH_POINTER_WRITE })
      .bindTable({ table, ...WEBSUB_DELETE })
      .bindTable({ table, ...WEBSUB_RATE_LIMIT })
      .bindTable({ table, ...RECENT_STORY_WRITE });

    const api = new SubscriptionApi(this, 'Api', { handler: this.apiFunction, websubHandler: this.websubFunction, logRetention });
    const publicUrl = config.mail.publicUrl ?? api.url;
    this.apiFunction.addEnvironment(ENV.publicUrl, publicUrl);
    /** The base of the callback URLs hubs are given: always reachable, whatever fronts the pages. */
    const websubCallbackUrl = config.websub.callbackUrl ?? `${api.url}${WEBSUB_PATH}`;

    /**
     * Scheduled events that never became a run: failed or expired in Lambda, or not delivered by
     * the scheduler, for both minute schedules. Never redriven (the next minute's run does the
     * work), only read for the reason; one queue keeps it to one depth alarm (docs/deploy.md).
     */
    const scheduleFailures = failureQueue(this, 'ScheduleFailures');

    /** Feed jobs that failed FEED_JOB_MAX_RECEIVES times (store errors, a body that is no job). */
    const feedJobFailures = failureQueue(this, 'FeedJobFailures');
    const workerTimeout = Duration.seconds(workerTimeoutSeconds(config, batchSize));
    // A job received by a worker that dies, or that it failed, stays hidden this long before it is
    // delivered again.
    const visibilitySeconds = workerTimeout.toSeconds() * VISIBILITY_PER_WORKER_TIMEOUT;
    /** One message per due feed, from the dispatcher to the workers. */
    this.feedQueue = new sqs.Queue(this, 'FeedJobs', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(visibilitySeconds),
      // Stale jobs expire, but never before a failing one has had its receives and reached the
      // dead-letter queue (a message that expires first would leave the DLQ alarm silent).
      retentionPeriod: Duration.seconds(Math.max(FEED_JOB_STALE_SECONDS, (FEED_JOB_MAX_RECEIVES + 1) * visibilitySeconds)),
      deadLetterQueue: { queue: feedJobFailures, maxReceiveCount: FEED_JOB_MAX_RECEIVES },
    });

    /** Every minute: queue the feeds that are due (a few Queries of the due index, no scan). */
    this.dispatchFunction = new NewshoundFunction(this, 'DispatchFunction', {
      entry: 'lambda/handlers/dispatch.ts',
      description: 'Newshound dispatcher: queue the feeds that are due',
      serviceName: SERVICE.dispatch,
      metricsLevel,
      // Fixed, whatever the feed count: at most 5,000 jobs a run (DISPATCH_LIMIT), the rest next minute.
      timeout: Duration.seconds(120),
      logRetention,
      configFile,
      ...scheduledInvokeSettings(scheduleFailures),
    })
      .bindTable({ table, access: 'read', leadingKeys: DISPATCH_READ_KEYS })
      .bindTable({ table, access: DISPATCH_WRITE_ACTIONS, leadingKeys: DISPATCH_WRITE_KEYS })
      // The due index projects keys, due times and feed URLs only; its partitions are the DUE#<shard>
      // keys, so a LeadingKeys condition on the table's prefixes would not describe it.
      .bindTable({ table, access: ['dynamodb:Query'], indexes: [DUE_INDEX], indexesOnly: true })
      .bindQueueSend({ queue: this.feedQueue, urlVariable: ENV.feedQueueUrl });

    /** Polls the feeds of each batch of jobs; a failed job alone goes back to the queue. */
    this.workerFunction = new NewshoundFunction(this, 'WorkerFunction', {
      entry: 'lambda/handlers/worker.ts',
      description: 'Newshound worker: poll one batch of due feeds, match, record hits',
      serviceName: SERVICE.worker,
      metricsLevel,
      memorySize: 512,
      timeout: workerTimeout,
      logRetention,
      configFile,
      // Hub requests need nothing in IAM: they are plain HTTPS, like the feeds.
      environment: { [ENV.websubCallbackUrl]: websubCallbackUrl },
    })
      .bindTable({ table, access: 'read', leadingKeys: WORKER_READ_KEYS })
      .bindTable({ table, access: WORKER_WRITE_ACTIONS, leadingKeys: WORKER_WRITE_KEYS })
      .bindTable({ table, ...RECENT_STORY_WRITE })
      .bindTable({ table, ...PUSH_POINTER_WRITE });
    this.workerFunction.addEventSource(
      new SqsEventSource(this.feedQueue, { batchSize, maxConcurrency, reportBatchItemFailures: true }),
    );

    /** Every minute, on its own schedule: send the digests that are due, under the sender's lease. */
    this.senderFunction = new NewshoundFunction(this, 'SenderFunction', {
      entry: 'lambda/handlers/sender.ts',
      description: 'Newshound sender: mail the digests that are due',
      serviceName: SERVICE.sender,
      metricsLevel,
      memorySize: 512,
      // A run that outlasts the minute only makes the next one skip (the lease), never send twice.
      timeout: Duration.seconds(300),
      logRetention,
      configFile,
      environment: { [ENV.publicUrl]: publicUrl },
      ...scheduledInvokeSettings(scheduleFailures),
    })
      .bindTable({ table, access: 'read', leadingKeys: SENDER_READ_KEYS, indexes: [PENDING_INDEX] })
      .bindTable({ table, access: SENDER_WRITE_ACTIONS, leadingKeys: SENDER_WRITE_KEYS })
      .bindSecret(tokenKey)
      .bindSesSending(sending);

    const dispatchSchedule = everyMinute(this, 'DispatchSchedule', this.dispatchFunction, scheduleFailures);
    const sendSchedule = everyMinute(this, 'SendSchedule', this.senderFunction, scheduleFailures);

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
    })
      .bindTable({ table, access: SES_EVENTS_TABLE_ACTIONS, leadingKeys: SES_EVENTS_LEADING_KEYS })
      .bindTable({ table, ...BUMP_LIVE_CONFIG });
    ses.eventsTopic.addSubscription(
      new subscriptions.LambdaSubscription(this.sesEventsFunction, { deadLetterQueue: sesEventsFailures }),
    );

    /** Where every alarm goes; email-subscribed when alarmEmail is given. */
    const alarmTopic = notificationTopic(this, 'AlarmTopic', { displayName: 'Newshound alarms', carries: 'alarms', key: topicKey });
    if (props.alarmEmail) alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    new OperationsAlarms(this, 'Alarms', {
      alarmTopic,
      functions: {
        Dispatch: this.dispatchFunction,
        Worker: this.workerFunction,
        Sender: this.senderFunction,
        SesEvents: this.sesEventsFunction,
        Api: this.apiFunction,
      },
      queues: { FeedJobFailures: feedJobFailures, ScheduleFailures: scheduleFailures, SesEventsFailures: sesEventsFailures },
      feedQueue: this.feedQueue,
    });

    new CfnOutput(this, 'TableName', { value: table.table.tableName });
    new CfnOutput(this, 'ApiUrl', { value: api.url });
    new CfnOutput(this, 'WebSubCallbackUrl', { value: websubCallbackUrl });
    new CfnOutput(this, 'ConfigurationSetName', { value: ses.configurationSet.configurationSetName });
    new CfnOutput(this, 'FeedQueueUrl', { value: this.feedQueue.queueUrl });
    new CfnOutput(this, 'DispatchFunctionName', { value: this.dispatchFunction.functionName });
    new CfnOutput(this, 'WorkerFunctionName', { value: this.workerFunction.functionName });
    new CfnOutput(this, 'SenderFunctionName', { value: this.senderFunction.functionName });
    new CfnOutput(this, 'DispatchScheduleName', { value: dispatchSchedule.scheduleName });
    new CfnOutput(this, 'SendScheduleName', { value: sendSchedule.scheduleName });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarmTopic.topicArn });
  }
}

/**
 * Async invoke settings of a function the scheduler runs every minute: no Lambda retry (the next
 * minute's run is the retry, and a retry would only race it), and an event older than a minute is
 * dropped to the failure queue, whose message names the function and the condition.
 */
function scheduledInvokeSettings(failures: sqs.IQueue) {
  return { retryAttempts: 0, maxEventAge: SCHEDULED_EVENT_MAX_AGE, onFailure: new SqsDestination(failures) };
}

/**
 * An EventBridge Scheduler schedule invoking `fn` asynchronously every minute, through a role that
 * may invoke that function only. The scheduler does not retry either (the next minute is the retry);
 * an event it cannot deliver goes to the failure queue with ERROR_CODE and ERROR_MESSAGE attributes.
 */
function everyMinute(stack: Stack, id: string, fn: NewshoundFunction, failures: sqs.IQueue): scheduler.Schedule {
  const role = new iam.Role(stack, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }),
    description: `Newshound: EventBridge Scheduler invoking ${fn.node.id}`,
  });
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${fn.arnFindingRef}:*]`,
    reason: 'grantInvoke covers the function\'s own versions and aliases (<function ARN>:*), nothing else.',
  });
  return new scheduler.Schedule(stack, id, {
    description: `Newshound: invoke ${fn.node.id} every minute`,
    schedule: scheduler.ScheduleExpression.rate(Duration.minutes(1)),
    timeWindow: scheduler.TimeWindow.off(),
    target: new targets.LambdaInvoke(fn, {
      role,
      input: scheduler.ScheduleTargetInput.fromObject({
        source: 'newshound.schedule',
        scheduledTime: scheduler.ContextAttribute.scheduledTime,
        executionId: scheduler.ContextAttribute.executionId,
      }),
      retryAttempts: 0,
      maxEventAge: SCHEDULED_EVENT_MAX_AGE,
      deadLetterQueue: failures,
    }),
  });
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
