import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { ENV } from '../env.ts';
import { METRICS_LEVELS, METRICS_NAMESPACE, type MetricsLevel } from './metric-names.ts';

// The one Powertools setup the three functions share (docs/deploy.md, "Metrics and alarms"): a
// logger, a metrics buffer and a tracer per function, and instrument(), which does per invocation
// what Powertools' injectLambdaContext, logMetrics and captureLambdaHandler middlewares do, without
// a middleware engine: the Lambda context on every log line, the stored metrics flushed in a
// `finally` (so a throwing invocation still publishes them), and a cold-start metric and annotation.

/** The fields of Lambda's context object that the handlers and Powertools read. */
export interface LambdaContext {
  functionName?: string;
  functionVersion?: string;
  invokedFunctionArn?: string;
  memoryLimitInMB?: string;
  awsRequestId?: string;
  getRemainingTimeInMillis?: () => number;
}

export interface Powertools {
  logger: Logger;
  metrics: Metrics;
  tracer: Tracer;
  /** `full`: every metric and the cold-start metric; `alarms`: only what an alarm reads. */
  metricsLevel: MetricsLevel;
}

/**
 * The tools of one function. The stack sets POWERTOOLS_SERVICE_NAME too; naming the service here
 * keeps logs and the metric dimension right when a handler runs outside Lambda (tests, benches).
 */
export function powertools(serviceName: string, env: NodeJS.ProcessEnv = process.env): Powertools {
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ serviceName, namespace: METRICS_NAMESPACE }),
    // Off outside Lambda (Powertools checks AWS_EXECUTION_ENV), so tests and the CLI trace nothing.
    tracer: new Tracer({ serviceName }),
    metricsLevel: metricsLevel(env),
  };
}

/** NEWSHOUND_METRICS, `alarms` when unset; anything else is a deployment bug, named at cold start. */
export function metricsLevel(env: NodeJS.ProcessEnv = process.env): MetricsLevel {
  const value = env[ENV.metrics] || 'alarms';
  if (!(METRICS_LEVELS as readonly string[]).includes(value)) {
    throw new Error(`${ENV.metrics} must be one of ${METRICS_LEVELS.join(', ')}, not ${JSON.stringify(value)}`);
  }
  return value as MetricsLevel;
}

/** Wraps a handler so every invocation gets the context, the flush and the cold-start record. */
export function instrument<E, R>(
  { logger, metrics, tracer, metricsLevel }: Powertools,
  handler: (event: E, context: LambdaContext) => Promise<R>,
): (event: E, context: LambdaContext) => Promise<R> {
  return async (event, context) => {
    logger.addContext(context);
    if (metricsLevel === 'full') metrics.captureColdStartMetric(context.functionName);
    const segment = tracer.getSegment();
    const subsegment = tracer.isTracingEnabled() ? segment?.addNewSubsegment(`## ${process.env._HANDLER ?? 'handler'}`) : undefined;
    if (subsegment) tracer.setSegment(subsegment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    try {
      // Neither the event nor the result is logged or traced: both may hold addresses and tokens.
      return await handler(event, context);
    } catch (error) {
      logger.error('invocation failed', error as Error);
      tracer.addErrorAsMetadata(error as Error);
      throw error;
    } finally {
      // An empty flush only logs a Powertools warning: with `alarms`, most invocations add nothing.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      if (subsegment && segment) {
        subsegment.close();
        tracer.setSegment(segment);
      }
      logger.resetKeys();
    }
  };
}
