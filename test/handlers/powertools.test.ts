import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { METRICS_NAMESPACE, SERVICE } from '../../lambda/handlers/commons/metric-names.ts';
import { instrument, metricsLevel, powertools, type LambdaContext } from '../../lambda/handlers/commons/powertools.ts';

// The shared Powertools wiring of the three functions, with the real Logger and Metrics. Both
// write JSON lines to stdout (errors to stderr), as in Lambda, where CloudWatch reads the EMF lines
// as metrics; the test reads those lines back. Lambda marks an ordinary start with
// AWS_LAMBDA_INITIALIZATION_TYPE=on-demand, which Powertools needs to see to report cold starts.

const context = (requestId: string): LambdaContext => ({
  functionName: 'Newshound-WorkerFunction',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:Newshound-WorkerFunction',
  memoryLimitInMB: '512',
  awsRequestId: requestId,
});

class CycleBroke extends Error {}

let lines: Array<Record<string, unknown>>;
const read = (chunk: string | Uint8Array) => {
  for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
  return true;
};
beforeEach(() => {
  lines = [];
  vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
  vi.spyOn(process.stdout, 'write').mockImplementation(read);
  vi.spyOn(process.stderr, 'write').mockImplementation(read);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** The EMF documents among the lines: metric names by document. */
const emfMetrics = () =>
  lines
    .filter((l) => l._aws !== undefined)
    .map((l) => (l._aws as { CloudWatchMetrics: Array<{ Namespace: string; Metrics: Array<{ Name: string }> }> }).CloudWatchMetrics[0]!)
    .map((m) => ({ namespace: m.Namespace, names: m.Metrics.map((x) => x.Name) }));
const logLines = () => lines.filter((l) => l.message !== undefined);

describe('instrument', () => {
  it('puts the Lambda context on every log line, cold start only on the first invocation', async () => {
    // Prepare
    const tools = powertools(SERVICE.worker, {});
    const handler = instrument(tools, async () => {
      tools.logger.info('one');
      tools.logger.info('two');
    });
    // Act
    await handler({}, context('req-1'));
    await handler({}, context('req-2'));
    // Assess
    expect(logLines().map((l) => [l.message, l.function_request_id, l.cold_start, l.function_name, l.service])).toEqual([
      ['one', 'req-1', true, 'Newshound-WorkerFunction', SERVICE.worker],
      ['two', 'req-1', true, 'Newshound-WorkerFunction', SERVICE.worker],
      ['one', 'req-2', false, 'Newshound-WorkerFunction', SERVICE.worker],
      ['two', 'req-2', false, 'Newshound-WorkerFunction', SERVICE.worker],
    ]);
  });

  it('publishes the metrics a handler stored before it threw, logs the failure with the request id, and rethrows', async () => {
    // Prepare
    const tools = powertools(SERVICE.worker, {});
    const handler = instrument(tools, async () => {
      tools.metrics.addMetric('FeedFailurePercent', MetricUnit.Percent, 100);
      throw new CycleBroke('store unreachable');
    });
    // Act
    const invocation = handler({}, context('req-3'));
    // Assess
    await expect(invocation).rejects.toThrow(CycleBroke);
    expect(emfMetrics()).toEqual([{ namespace: METRICS_NAMESPACE, names: ['FeedFailurePercent'] }]);
    expect(tools.metrics.hasStoredMetrics()).toBe(false);
    expect(logLines()).toEqual([
      expect.objectContaining({ level: 'ERROR', message: 'invocation failed', function_request_id: 'req-3', error: expect.objectContaining({ message: 'store unreachable' }) }),
    ]);
  });

  it('counts a cold start as a metric once with metrics=full, and not at all by default', async () => {
    // Prepare
    const full = powertools(SERVICE.sesEvents, { NEWSHOUND_METRICS: 'full' });
    const lean = powertools(SERVICE.sesEvents, {});
    // Act
    for (const tools of [full, full, lean, lean]) await instrument(tools, async () => undefined)({}, context('req-4'));
    // Assess
    expect(emfMetrics()).toEqual([{ namespace: METRICS_NAMESPACE, names: ['ColdStart'] }]);
    const emf = lines.find((l) => l._aws !== undefined)!;
    expect(emf).toMatchObject({ ColdStart: 1, service: SERVICE.sesEvents, function_name: 'Newshound-WorkerFunction' });
  });

  it('writes nothing at all for an invocation that logged and stored nothing (no empty-metrics warning)', async () => {
    await instrument(powertools(SERVICE.api, {}), async () => 'ok')({}, context('req-5'));
    expect(lines).toEqual([]);
  });
});

describe('metrics level', () => {
  it('is alarms unless NEWSHOUND_METRICS says full, and names the variable when it is neither', () => {
    expect(metricsLevel({})).toBe('alarms');
    expect(metricsLevel({ NEWSHOUND_METRICS: 'full' })).toBe('full');
    expect(() => metricsLevel({ NEWSHOUND_METRICS: 'all' })).toThrow('NEWSHOUND_METRICS must be one of alarms, full, not "all"');
  });
});
