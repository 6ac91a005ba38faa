import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ensureTable } from '../../lambda/adapters/dynamodb/table-definition.ts';
import { NewshoundStack } from '../../lib/newshound-stack.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from '../support/dynamodb-local.ts';
import { hasJava, skipLine } from '../support/env.ts';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { startSesEmulator, type SesEmulator } from '../support/ses-emulator.ts';
import { rss, type RssItem } from '../e2e/support/rss.ts';
import { bundledFunction, localEnvironment, type BundledFunction } from './support/bundled-assets.ts';
import { startSecretsManagerStub, type SecretsManagerStub } from './support/secrets-manager-stub.ts';

// The deployed artifact, not the source: synthesize the stack (esbuild bundles into cdk.out), then
// load each bundle in a plain Node process with the environment the stack gives the function,
// pointed at DynamoDB Local, aws-ses-v2-local, a Secrets Manager stub and a local feed server.

const TABLE = 'newshound-asset-e2e';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:newshound-token-key-AbCdEf';
const ANALYST = 'analyst@example.org';
const BOUNCER = 'bouncer@example.org';

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
const intrusion: RssItem = {
  title: 'JAXA reports intrusion into its network',
  link: 'https://news.example/jaxa-intrusion',
  description: 'The space agency JAXA said attackers reached an internal server.',
  pubDate: hoursAgo(1),
};
const breach: RssItem = {
  title: 'New JAXA breach disclosed',
  link: 'https://news.example/jaxa-breach',
  description: 'JAXA disclosed a second breach.',
  pubDate: hoursAgo(0.5),
};

interface BundleRun {
  code: number | null;
  /** The handler's result for each event, when every invocation succeeded. */
  results?: unknown[];
  /** `name: message` of the error an invocation threw. */
  error?: string;
  /** The JSON lines the process wrote (Powertools logs and EMF metrics), stdout then stderr. */
  lines: Array<Record<string, unknown>>;
  output: string;
}

/**
 * Imports the bundle in a fresh Node process and calls its handler with each event in turn, with a
 * context and the variables Lambda gives an on-demand execution environment (AWS_EXECUTION_ENV
 * stays unset: the tracer is off outside Lambda, as it has no X-Ray daemon to send to).
 */
function invokeBundle(bundle: BundledFunction, env: Record<string, string>, events: object[]): Promise<BundleRun> {
  const script = `
    const { handler } = await import(process.argv[1]);
    const results = [];
    let i = 0;
    try {
      for (const event of JSON.parse(process.argv[2])) {
        i += 1;
        const context = {
          functionName: process.env.AWS_LAMBDA_FUNCTION_NAME, functionVersion: '$LATEST', memoryLimitInMB: '256',
          invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:' + process.env.AWS_LAMBDA_FUNCTION_NAME,
          awsRequestId: 'request-' + i, getRemainingTimeInMillis: () => 60000,
        };
        results.push(await handler(event, context));
      }
    } catch (error) {
      process.stdout.write('\\n@@ERROR@@' + error.name + ': ' + error.message + '\\n');
      process.exit(1);
    }
    process.stdout.write('\\n@@RESULTS@@' + JSON.stringify(results) + '\\n');
  `;
  const lambdaEnv = { AWS_LAMBDA_FUNCTION_NAME: `NewshoundAssetE2e-${basename(bundle.dir).slice(0, 12)}`, AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand' };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, bundle.entry, JSON.stringify(events)], {
      env: { PATH: process.env.PATH, ...lambdaEnv, ...env },
      cwd: tmpdir(),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const results = /@@RESULTS@@(.*)\n/.exec(stdout)?.[1];
      const lines = `${stdout}\n${stderr}`
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      resolve({
        code,
        ...(results ? { results: JSON.parse(results) as unknown[] } : {}),
        ...(/@@ERROR@@(.*)\n/.exec(stdout) ? { error: /@@ERROR@@(.*)\n/.exec(stdout)![1] } : {}),
        lines,
        output: `${stderr}\n${stdout}`,
      });
    });
  });
}

/** Invokes the bundle and fails with its output unless every invocation succeeded. */
async function invokeOk(bundle: BundledFunction, env: Record<string, string>, events: object[]): Promise<BundleRun> {
  const run = await invokeBundle(bundle, env, events);
  if (run.code !== 0 || !run.results) throw new Error(`bundle ${bundle.entry} exited ${run.code}\n${run.output}`);
  return run;
}

/** Names and values of the metrics in the EMF documents a run wrote, one object per document. */
const emfDocuments = (run: BundleRun) =>
  run.lines
    .filter((l) => l._aws !== undefined)
    .map((l) => {
      const names = (l._aws as { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string }> }> }).CloudWatchMetrics[0]!.Metrics.map((m) => m.Name);
      return Object.fromEntries(names.map((name) => [name, l[name]]));
    });

const scheduledEvent = () => ({ source: 'newshound.schedule', scheduledTime: new Date().toISOString(), executionId: 'e2e' });

function bounceEvent(email: string): object {
  const message = {
    eventType: 'Bounce',
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress: email, action: 'failed', status: '5.1.1' }],
      timestamp: new Date().toISOString(),
      feedbackId: 'e2e-feedback',
    },
    mail: { timestamp: new Date().toISOString(), source: 'alerts@example.org', messageId: 'e2e', destination: [email] },
  };
  return { Records: [{ EventSource: 'aws:sns', Sns: { Type: 'Notification', MessageId: 'sns-1', Message: JSON.stringify(message) } }] };
}

describe('the bundled Lambda assets', () => {
  let workDir: string;
  let feeds: FeedServer;
  let poll: BundledFunction;
  let sesEvents: BundledFunction;
  let items: RssItem[] = [intrusion];

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'newshound-asset-e2e-'));
    feeds = await startFeedServer({ '/jaxa.xml': () => ({ body: rss('Space News', items), etag: `"${items.length}"` }) });
    // Prepare: a config naming the local feed, validated and bundled by the stack as in a deploy.
    const configPath = join(workDir, 'newshound.yaml');
    writeFileSync(
      configPath,
      stringify({
        feeds: [{ url: feeds.url('/jaxa.xml'), name: 'Space News' }],
        topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
        subscribers: [
          { email: ANALYST, topics: ['jaxa'], frequency: 'immediate' },
          { email: BOUNCER, topics: ['jaxa'], frequency: 'immediate' },
        ],
        mail: { from: 'Newshound Alerts <alerts@example.org>', publicUrl: 'https://alerts.example.org' },
        fetch: { allowPrivateNetworks: true, timeoutSeconds: 5 },
      }),
    );
    const app = new App({ outdir: join(workDir, 'cdk.out') });
    const stack = new NewshoundStack(app, 'NewshoundAssetE2e', { configPath, env: { account: '123456789012', region: 'us-east-1' } });
    app.synth();
    poll = bundledFunction(stack, join(workDir, 'cdk.out'), 'poll');
    sesEvents = bundledFunction(stack, join(workDir, 'cdk.out'), 'sesEvents');
  });

  afterAll(async () => {
    await feeds?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('refuses to start without the environment the stack gives it, naming the variable in a log line with the request id', async () => {
    // Prepare: everything the stack sets except the table name.
    const { NEWSHOUND_TABLE: _omitted, ...partial } = localEnvironment(poll, {
      NEWSHOUND_TABLE: TABLE,
      NEWSHOUND_SECRET_ARN: SECRET_ARN,
      NEWSHOUND_SES_CONFIGURATION_SET: 'newshound-e2e',
      NEWSHOUND_PUBLIC_URL: 'https://alerts.example.org',
    });
    // Act
    const run = await invokeBundle(poll, partial, [scheduledEvent()]);
    // Assess
    expect(run.code).toBe(1);
    expect(run.error).toBe('MissingEnvError: environment variable NEWSHOUND_TABLE is not set');
    expect(run.lines).toContainEqual(
      expect.objectContaining({ level: 'ERROR', message: 'invocation failed', function_request_id: 'request-1', cold_start: true, service: 'newshound-poll' }),
    );
    expect(feeds.requests).toHaveLength(0);
  });

  // Without Java these tests are registered as skipped, so `npm test` counts them (scripts/test.mjs).
  if (!hasJava()) skipLine('bundled Lambda asset e2e against DynamoDB Local not run: java not found (DynamoDB Local needs Java 17)');
  describe.skipIf(!hasJava())('against DynamoDB Local, the SES emulator and a Secrets Manager stand-in', () => {
    let dynamo: DynamoDbLocal;
    let ses: SesEmulator;
    let secrets: SecretsManagerStub;
    const env = (bundle: BundledFunction) =>
      localEnvironment(bundle, {
        NEWSHOUND_TABLE: TABLE,
        NEWSHOUND_SECRET_ARN: SECRET_ARN,
        NEWSHOUND_SES_CONFIGURATION_SET: 'newshound-e2e',
        NEWSHOUND_PUBLIC_URL: 'https://alerts.example.org',
      });
    const awsEnv = () => ({
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SES: ses.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    });
    const recipients = async () => (await ses.emails()).map((e) => e.destination.to.join(','));

    beforeAll(async () => {
      [dynamo, ses, secrets] = await Promise.all([
        startDynamoDbLocal(),
        startSesEmulator(),
        startSecretsManagerStub(SECRET_ARN, 'e2e-token-key-0123456789abcdef0123456789abcdef'),
      ]);
      await ensureTable(dynamo.client(), TABLE);
    });

    afterAll(async () => {
      await Promise.all([dynamo?.stop(), ses?.stop(), secrets?.stop()]);
    });

    it('sends exactly one digest per subscriber when invoked twice by the schedule', async () => {
      // Act
      const run = await invokeOk(poll, { ...env(poll), ...awsEnv() }, [scheduledEvent(), scheduledEvent()]);
      // Assess
      expect((await recipients()).sort()).toEqual([ANALYST, BOUNCER]);
      for (const email of await ses.emails()) {
        expect(email.subject).toMatch(/JAXA/);
        expect(email.body.text).toContain(intrusion.link);
      }
      expect(ses.rawMessages.map((raw) => /^X-Newshound-Items: (\d+)/m.exec(raw.toString('utf8'))?.[1])).toEqual(['1', '1']);
      // The token key came from Secrets Manager by the ARN the stack set, never from the environment.
      expect(secrets.requests.length).toBeGreaterThan(0);
      expect(new Set(secrets.requests)).toEqual(new Set([SECRET_ARN]));
      // Powertools as deployed: one metric per cycle (what the alarm reads), the context on every line.
      expect(emfDocuments(run)).toEqual([{ FeedFailurePercent: 0 }, { FeedFailurePercent: 0 }]);
      const logs = run.lines.filter((l) => l.message !== undefined);
      expect(logs.map((l) => l.message)).toContain('cycle report');
      for (const line of logs) expect(line).toMatchObject({ service: 'newshound-poll', function_request_id: expect.stringMatching(/^request-[12]$/) });
    });

    it('stops mailing an address after its permanent bounce reaches the bounce handler', async () => {
      // Prepare
      await ses.clear();
      const bounced = await invokeOk(sesEvents, { ...env(sesEvents), ...awsEnv() }, [bounceEvent(BOUNCER)]);
      items = [breach, intrusion];
      // Act
      await invokeOk(poll, { ...env(poll), ...awsEnv() }, [scheduledEvent()]);
      // Assess: the new story went out, to the analyst only.
      expect(await recipients()).toEqual([ANALYST]);
      const [email] = await ses.emails();
      expect(email!.body.text).toContain(breach.link);
      expect(email!.body.text).not.toContain(intrusion.link);
      expect(bounced.results).toEqual([{ suppressed: 1 }]);
      expect(emfDocuments(bounced)).toEqual([]);
      expect(bounced.lines).toContainEqual(expect.objectContaining({ message: 'notifications handled', suppressed: 1, function_request_id: 'request-1' }));
      expect(bounced.output).not.toContain(BOUNCER);
    });
  });
});
