import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENV } from '../../lambda/handlers/env.ts';
import { METRICS_NAMESPACE, type MetricsLevel } from '../../lambda/handlers/commons/metric-names.ts';
import { REPO_ROOT } from '../paths.ts';

/**
 * DynamoDB actions by verb. `read` is every read the store makes (single items, batches, queries);
 * writes are listed per function, as each writes differently (docs/deploy.md, "Least privilege").
 */
const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
} as const;

type TableAccess = keyof typeof TABLE_ACTIONS | readonly `dynamodb:${string}`[];

/** A table (NewshoundTable). */
interface TableRef {
  readonly table: dynamodb.ITable;
}

export interface BindTableOptions {
  readonly table: TableRef;
  /** A verb, or the exact action list. @default 'read' */
  readonly access?: TableAccess;
  /**
   * Restricts the items reachable to partition keys matching these patterns (IAM
   * `dynamodb:LeadingKeys`, e.g. `['SUB#*']`). @default no restriction
   */
  readonly leadingKeys?: readonly string[];
  /** Indexes the actions also apply to (a Query on an index is authorised on its own ARN). @default none */
  readonly indexes?: readonly string[];
  /** Grant on the indexes only, not on the table's own items. @default false */
  readonly indexesOnly?: boolean;
}

export interface BindQueueOptions {
  readonly queue: sqs.IQueue;
  /** The variable the queue's URL goes into. */
  readonly urlVariable: string;
}

export interface BindSesSendingOptions {
  /** Identity ARNs the function may send as (email and/or domain identity). */
  readonly identityArns: readonly string[];
  /** The configuration set the messages go through; SES authorizes it as a resource too. */
  readonly configurationSetArn: string;
  readonly configurationSetName: string;
  /** The bare From address; sending as anyone else is denied (`ses:FromAddress`). */
  readonly fromAddress: string;
}

export interface NewshoundFunctionProps {
  /** Handler file relative to the repository root, e.g. `lambda/handlers/worker.ts`. */
  readonly entry: string;
  readonly description: string;
  /** Powertools service name (logs and the metrics `service` dimension). */
  readonly serviceName: string;
  /** Which custom metrics the function emits (docs/deploy.md, "Metrics and alarms"). @default 'alarms' */
  readonly metricsLevel?: MetricsLevel;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * A JSON file copied into the bundle as `config.json` (NEWSHOUND_CONFIG_PATH points at it).
   * @default no configuration shipped
   */
  readonly configFile?: string;
  readonly environment?: Record<string, string>;
  /** Passed through for async invoke settings. */
  readonly retryAttempts?: number;
  readonly maxEventAge?: Duration;
  readonly onFailure?: lambda.IDestination;
}

/**
 * The team's Lambda defaults: Node.js 22 on arm64, one esbuild ESM bundle (AWS SDK included, so the
 * code runs against the SDK version it was tested with), an explicit log group with retention,
 * X-Ray tracing, and a role that starts with nothing but its own log group. Permissions are added
 * per verb with the bind* methods so that each function's policy reads as what it does.
 */
export class NewshoundFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: NewshoundFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An own role instead of AWSLambdaBasicExecutionRole: that managed policy may write to any log group.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.serviceName}: execution role`,
    });
    logGroup.grantWrite(role);

    const configFile = props.configFile;
    const functionProps: NodejsFunctionProps = {
      entry: `${REPO_ROOT}/${props.entry}`,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}/package-lock.json`,
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup,
      role,
      retryAttempts: props.retryAttempts,
      maxEventAge: props.maxEventAge,
      onFailure: props.onFailure,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        [ENV.metrics]: props.metricsLevel ?? 'alarms',
        ...(configFile ? { [ENV.configPath]: 'config.json' } : {}),
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        bundleAwsSDK: true,
        mainFields: ['module', 'main'],
        // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
        banner: "import { createRequire as __nhCreateRequire } from 'node:module';const require = __nhCreateRequire(import.meta.url);",
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string) =>
            configFile ? [`cp ${JSON.stringify(configFile)} ${JSON.stringify(`${outputDir}/config.json`)}`] : [],
        },
      },
    };
    super(scope, id, functionProps);

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.',
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Pinned to nodejs22.x on purpose: the runtime the code is tested on (docs/deploy.md); moving to a newer one is a tested change, not a default.',
    });
  }

  /** `<logicalId>.Arn`, as cdk-nag prints this function's ARN in findings. */
  get arnFindingRef(): string {
    return `<${Stack.of(this).getLogicalId(this.node.defaultChild as CfnElement)}.Arn>`;
  }

  /** Grants the table actions of one verb (or an exact list) on the table and the indexes named. */
  bindTable({ table: { table }, access = 'read', leadingKeys, indexes = [], indexesOnly = false }: BindTableOptions): this {
    const actions = typeof access === 'string' ? TABLE_ACTIONS[access as keyof typeof TABLE_ACTIONS] : access;
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [...actions],
        resources: [...(indexesOnly ? [] : [table.tableArn]), ...indexes.map((name) => `${table.tableArn}/index/${name}`)],
        conditions: leadingKeys ? { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...leadingKeys] } } : undefined,
      }),
    );
    this.addEnvironment(ENV.table, table.tableName);
    return this;
  }

  /**
   * `sqs:SendMessage` on one queue (SendMessageBatch is authorised as SendMessage), its URL in the
   * environment. Not grantSendMessages: the functions never need the queue's attributes or URL lookup.
   */
  bindQueueSend({ queue, urlVariable }: BindQueueOptions): this {
    this.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    this.addEnvironment(urlVariable, queue.queueUrl);
    return this;
  }

  /** Read access to a secret, its ARN in NEWSHOUND_SECRET_ARN (never the value itself). */
  bindSecret(secret: secretsmanager.ISecret): this {
    secret.grantRead(this);
    this.addEnvironment(ENV.secretArn, secret.secretArn);
    return this;
  }

  /** `ses:SendRawEmail` on the identity and configuration set only, and only as `fromAddress`. */
  bindSesSending(options: BindSesSendingOptions): this {
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendRawEmail'],
        resources: [...options.identityArns, options.configurationSetArn],
        conditions: { StringEquals: { 'ses:FromAddress': options.fromAddress } },
      }),
    );
    this.addEnvironment(ENV.sesConfigurationSet, options.configurationSetName);
    return this;
  }

  /** The ARN form SES uses for an identity (email address or domain) in this stack's account/region. */
  static sesIdentityArn(scope: Construct, identity: string): string {
    return Stack.of(scope).formatArn({ service: 'ses', resource: 'identity', resourceName: identity });
  }
}
