import { resolve } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError } from '../lambda/core/config/config-error.ts';
import { METRICS_LEVELS, type MetricsLevel } from '../lambda/handlers/commons/metric-names.ts';
import { NewshoundStack } from './newshound-stack.ts';
import { SenderError } from './sender.ts';
import { WORKER_LIMITS } from './worker-sizing.ts';

// `npx cdk synth|deploy` entry (cdk.json). Context, all optional:
//   -c config=./newshound.yaml   -c senderEmail=alerts@example.com | -c senderDomain=example.com
//   -c alarmEmail=ops@example.com   -c logRetentionDays=30   -c workerBatchSize=10
//   -c workerMaxConcurrency=20   -c metrics=full   -c encryptTopics=true   -c stackName=Newshound
//   (docs/deploy.md, step 3)

const app = new App();
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return value === undefined || value === null || value === '' ? undefined : String(value);
};

function retentionFromContext(): logs.RetentionDays | undefined {
  const raw = context('logRetentionDays');
  if (raw === undefined) return undefined;
  const days = Number(raw);
  const allowed = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number');
  if (!allowed.includes(days)) {
    throw new SenderError(`context logRetentionDays: ${raw} is not a CloudWatch retention (one of ${allowed.join(', ')})`);
  }
  return days as logs.RetentionDays;
}

function metricsFromContext(): MetricsLevel | undefined {
  const raw = context('metrics');
  if (raw === undefined) return undefined;
  if (!(METRICS_LEVELS as readonly string[]).includes(raw)) {
    throw new SenderError(`context metrics: ${raw} is not one of ${METRICS_LEVELS.join(', ')}`);
  }
  return raw as MetricsLevel;
}

/** A whole number within the limits SQS and Lambda set for it (lib/worker-sizing.ts). */
function intFromContext(key: string, limits: { min: number; max: number }): number | undefined {
  const raw = context(key);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < limits.min || value > limits.max) {
    throw new SenderError(`context ${key}: ${raw} is not a whole number from ${limits.min} to ${limits.max}`);
  }
  return value;
}

function encryptTopicsFromContext(): boolean {
  const raw = context('encryptTopics') ?? 'false';
  if (raw !== 'true' && raw !== 'false') throw new SenderError(`context encryptTopics: ${raw} is not true or false`);
  return raw === 'true';
}

try {
  new NewshoundStack(app, context('stackName') ?? 'Newshound', {
    configPath: resolve(context('config') ?? 'newshound.yaml'),
    senderEmail: context('senderEmail'),
    senderDomain: context('senderDomain'),
    alarmEmail: context('alarmEmail'),
    logRetention: retentionFromContext(),
    workerBatchSize: intFromContext('workerBatchSize', WORKER_LIMITS.batchSize),
    workerMaxConcurrency: intFromContext('workerMaxConcurrency', WORKER_LIMITS.maxConcurrency),
    metrics: metricsFromContext(),
    encryptTopics: encryptTopicsFromContext(),
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  // Any unacknowledged AwsSolutions finding stops synthesis; acknowledgements carry their reason.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  app.synth();
} catch (error) {
  // The same message `newshound check` prints, without a stack trace in the way.
  if (error instanceof ConfigError || error instanceof SenderError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
