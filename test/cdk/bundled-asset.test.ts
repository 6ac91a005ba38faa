import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DynamoStore } from '../../lambda/adapters/dynamodb/dynamo-store.ts';
import { ensureTable } from '../../lambda/adapters/dynamodb/table-definition.ts';
import { subscriberId } from '../../lambda/core/ids/subscriber-id.ts';
import { NewshoundStack } from '../../lib/newshound-stack.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from '../support/dynamodb-local.ts';
import { hasJava, skipLine } from '../support/env.ts';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { startSesEmulator, type SesEmulator } from '../support/ses-emulator.ts';
import { rss, type RssItem } from '../e2e/support/rss.ts';
import { bundledFunction, localEnvironment, type BundledFunction, type FunctionName } from './support/bundled-assets.ts';
import { startSecretsManagerStub, type SecretsManagerStub } from './support/secrets-manager-stub.ts';
import { sqsEventOf, startSqsStub, type SqsStub } from './support/sqs-stub.ts';
import { startThrottlingProxy, type ThrottlingProxy } from './support/throttling-proxy.ts';

// The deployed artifact, not the source: synthesize the stack (esbuild bundles into cdk.out), then
// load each bundle in a plain Node process with the environment the stack gives the function,
// pointed at DynamoDB Local, aws-ses-v2-local, Secrets Manager and SQS stand-ins and a local feed
// server. The dispatcher's SendMessageBatch calls are recorded by the SQS stand-in, and the worker
// gets them back as the SQS events Lambda's event source mapping delivers: the path
// dispatch → queue → worker → sender, with a failed message redelivered and a duplicate ignored.

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
const weather: RssItem = {
  title: 'Rain expected in Tokyo',
  link: 'https://news.example/rain',
  description: 'A front brings rain to the Kanto region.',
  pubDate: hoursAgo(2),
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
  let dispatch: BundledFunction;
  let worker: BundledFunction;
  let sender: BundledFunction;
  let sesEvents: BundledFunction;
  let websub: BundledFunction;
  let items: RssItem[] = [intrusion];

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'newshound-asset-e2e-'));
    feeds = await startFeedServer({
      '/jaxa.xml': () => ({ body: rss('Space News', items), etag: `"${items.length}"` }),
      '/flaky.xml': { body: rss('Weather Desk', [weather]) },
    });
    // Prepare: a config naming the local feeds, validated and bundled by the stack as in a deploy.
    const configPath = join(workDir, 'newshound.yaml');
    writeFileSync(
      configPath,
      stringify({
        feeds: [
          { url: feeds.url('/jaxa.xml'), name: 'Space News' },
          { url: feeds.url('/flaky.xml'), name: 'Weather Desk' },
        ],
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
    const bundle = (name: FunctionName) => bundledFunction(stack, join(workDir, 'cdk.out'), name);
    [dispatch, worker, sender, sesEvents, websub] = [bundle('dispatch'), bundle('worker'), bundle('sender'), bundle('sesEvents'), bundle('websub')];
  });

  afterAll(async () => {
    await feeds?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('refuses to start without the environment the stack gives it, naming the variable in a log line with the request id', async () => {
    // Prepare: everything the stack sets except the table name.
    const { NEWSHOUND_TABLE: _omitted, ...partial } = localEnvironment(sender, {
      NEWSHOUND_TABLE: TABLE,
      NEWSHOUND_SECRET_ARN: SECRET_ARN,
      NEWSHOUND_SES_CONFIGURATION_SET: 'newshound-e2e',
    });
    // Act
    const run = await invokeBundle(sender, partial, [scheduledEvent()]);
    // Assess
    expect(run.code).toBe(1);
    expect(run.error).toBe('MissingEnvError: environment variable NEWSHOUND_TABLE is not set');
    expect(run.lines).toContainEqual(
      expect.objectContaining({ level: 'ERROR', message: 'invocation failed', function_request_id: 'request-1', cold_start: true, service: 'newshound-sender' }),
    );
    expect(feeds.requests).toHaveLength(0);
  });

  // Without Java these tests are registered as skipped, so `npm test` counts them (scripts/test.mjs).
  if (!hasJava()) skipLine('bundled Lambda asset e2e against DynamoDB Local not run: java not found (DynamoDB Local needs Java 17)');
  describe.skipIf(!hasJava())('against DynamoDB Local, the SES emulator, and SQS and Secrets Manager stand-ins', () => {
    let dynamo: DynamoDbLocal;
    let ses: SesEmulator;
    let secrets: SecretsManagerStub;
    let sqs: SqsStub;
    let throttling: ThrottlingProxy;
    const env = (bundle: BundledFunction) =>
      localEnvironment(bundle, {
        NEWSHOUND_TABLE: TABLE,
        NEWSHOUND_SECRET_ARN: SECRET_ARN,
        NEWSHOUND_SES_CONFIGURATION_SET: 'newshound-e2e',
        NEWSHOUND_FEED_QUEUE_URL: sqs.queueUrl,
        NEWSHOUND_WEBSUB_CALLBACK_URL: 'https://api.example.org/websub',
      });
    const awsEnv = (dynamodbEndpoint = dynamo.endpoint) => ({
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
      AWS_ENDPOINT_URL_SES: ses.endpoint,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    });
    const run = (bundle: BundledFunction, events: object[], dynamodbEndpoint?: string) => invokeOk(bundle, { ...env(bundle), ...awsEnv(dynamodbEndpoint) }, events);
    const recipients = async () => (await ses.emails()).map((e) => e.destination.to.join(','));
    const messageFor = (path: string) => sqs.messages.find((m) => JSON.parse(m.body).feedUrl === feeds.url(path))!;

    beforeAll(async () => {
      [dynamo, ses, secrets, sqs] = await Promise.all([
        startDynamoDbLocal(),
        startSesEmulator(),
        startSecretsManagerStub(SECRET_ARN, 'e2e-token-key-0123456789abcdef0123456789abcdef'),
        startSqsStub(),
      ]);
      throttling = await startThrottlingProxy(dynamo.endpoint, '/flaky.xml');
      await ensureTable(dynamo.client(), TABLE);
    });

    afterAll(async () => {
      await Promise.all([dynamo?.stop(), ses?.stop(), secrets?.stop(), sqs?.stop(), throttling?.stop()]);
    });

    it('dispatches the due feeds to SQS, polls them from the queue\'s events, fails only the job that met a store error, and sends one digest per subscriber', async () => {
      // Act 1: the minute's dispatch: both feeds are new, so they get a state, due now, and a job each.
      const dispatched = await run(dispatch, [scheduledEvent()]);
      // Assess 1
      expect(dispatched.results).toEqual([{ dispatched: 2, seeded: 2 }]);
      expect(sqs.batches).toEqual([2]);
      expect(sqs.messages.map((m) => m.queueUrl)).toEqual([sqs.queueUrl, sqs.queueUrl]);
      expect(sqs.messages.map((m) => JSON.parse(m.body)).map((job) => Object.keys(job).sort())).toEqual([['dueAt', 'feedUrl'], ['dueAt', 'feedUrl']]);

      // Act 2: the worker gets both jobs in one batch; the table throttles every request about the flaky feed.
      const batch = await run(worker, [sqsEventOf([messageFor('/jaxa.xml'), messageFor('/flaky.xml')])], throttling.endpoint);
      // Assess 2: only the flaky feed's message goes back to the queue; the other feed was polled.
      expect(batch.results).toEqual([{ batchItemFailures: [{ itemIdentifier: messageFor('/flaky.xml').messageId }] }]);
      expect(throttling.refused).toBeGreaterThan(0);
      expect(feeds.requests.map((r) => r.path)).toEqual(['/jaxa.xml']);
      expect(emfDocuments(batch)).toEqual([{ FeedFailurePercent: 0 }]);
      expect(batch.lines).toContainEqual(
        expect.objectContaining({ message: 'batch report', messages: 2, polled: 1, messageFailures: 1, new: 1, hits: 2, service: 'newshound-worker', function_request_id: 'request-1' }),
      );

      // Act 3: SQS delivers the failed message again (second receive); the table answers this time.
      const redelivered = await run(worker, [sqsEventOf([messageFor('/flaky.xml')], 2)]);
      expect(redelivered.results).toEqual([{ batchItemFailures: [] }]);
      expect(feeds.requests.map((r) => r.path)).toEqual(['/jaxa.xml', '/flaky.xml']);

      // Act 4: the minute's send run, on its own schedule.
      const sent = await run(sender, [scheduledEvent()]);
      // Assess 4
      expect(sent.results).toEqual([{ emailsSent: 2, sendFailures: 0, repairs: 0, held: 0 }]);
      expect((await recipients()).sort()).toEqual([ANALYST, BOUNCER]);
      for (const email of await ses.emails()) {
        expect(email.subject).toMatch(/JAXA/);
        expect(email.body.text).toContain(intrusion.link);
      }
      expect(ses.rawMessages.map((raw) => /^X-Newshound-Items: (\d+)/m.exec(raw.toString('utf8'))?.[1])).toEqual(['1', '1']);
      // The token key came from Secrets Manager by the ARN the stack set, never from the environment.
      expect(new Set(secrets.requests)).toEqual(new Set([SECRET_ARN]));
      // By default the sender emits no metric; its counts are fields of its closing line.
      expect(emfDocuments(sent)).toEqual([]);
      expect(sent.lines).toContainEqual(expect.objectContaining({ message: 'send report', emailsSent: 2, service: 'newshound-sender', function_request_id: 'request-1' }));
      expect(sent.output).not.toContain(ANALYST);
    });

    it('sends nothing twice when SQS delivers a job again after it was done', async () => {
      // Prepare
      const fetched = feeds.requests.length;
      const mailed = ses.rawMessages.length;
      // Act: the same job once more (a duplicate delivery), then the next send run.
      const duplicate = await run(worker, [sqsEventOf([messageFor('/jaxa.xml')], 2)]);
      const sent = await run(sender, [scheduledEvent()]);
      // Assess: the job is done (not failed), the feed was not fetched again, and no email left.
      expect(duplicate.results).toEqual([{ batchItemFailures: [] }]);
      expect(duplicate.lines).toContainEqual(expect.objectContaining({ message: 'batch report', polled: 0, skipped: 1 }));
      expect(feeds.requests.length).toBe(fetched);
      expect(sent.results).toEqual([{ emailsSent: 0, sendFailures: 0, repairs: 0, held: 0 }]);
      expect(ses.rawMessages.length).toBe(mailed);
    });

    it('stops mailing an address after its permanent bounce reaches the bounce handler', async () => {
      // Prepare: the bounce, then a new story, and time passes until the feed is due again.
      await ses.clear();
      const bounced = await run(sesEvents, [bounceEvent(BOUNCER)]);
      items = [breach, intrusion];
      const store = new DynamoStore({ client: dynamo.client(), tableName: TABLE });
      const state = (await store.getFeedStates([feeds.url('/jaxa.xml')])).get(feeds.url('/jaxa.xml'))!;
      await store.putFeedState({ ...state, nextDueAt: new Date(Date.now() - 1000).toISOString() });
      const queued = sqs.messages.length;
      // Act
      await run(dispatch, [scheduledEvent()]);
      const jobs = sqs.messages.slice(queued);
      await run(worker, [sqsEventOf(jobs)]);
      await run(sender, [scheduledEvent()]);
      // Assess: the feed was due again and queued alone; the new story went out, to the analyst only.
      expect(jobs.map((m) => JSON.parse(m.body).feedUrl)).toEqual([feeds.url('/jaxa.xml')]);
      expect(await recipients()).toEqual([ANALYST]);
      const [email] = await ses.emails();
      expect(email!.body.text).toContain(breach.link);
      expect(email!.body.text).not.toContain(intrusion.link);
      expect(bounced.results).toEqual([{ suppressed: 1 }]);
      expect(emfDocuments(bounced)).toEqual([]);
      expect(bounced.lines).toContainEqual(expect.objectContaining({ message: 'notifications handled', suppressed: 1, function_request_id: 'request-1' }));
      expect(bounced.output).not.toContain(BOUNCER);
    });

    it('answers a hub\'s verification and records a signed push as a hit, through the bundled WebSub function', async () => {
      // Prepare: the feed's subscription, pending as the worker leaves it after asking the hub.
      const store = new DynamoStore({ client: dynamo.client(), tableName: TABLE });
      const topic = feeds.url('/jaxa.xml');
      const callbackId = '0123456789abcdef0123456789abcdef';
      const secret = 'a'.repeat(64);
      const requestedAt = new Date().toISOString();
      await store.putPushState({ feedUrl: topic, hub: 'https://hub.example.org/', topic, callbackId, secret, state: 'pending', requestedAt, leaseSeconds: 864_000 });
      const pushed: RssItem = { title: 'JAXA confirms pushed report', link: 'https://news.example/jaxa-pushed', description: 'Pushed within seconds.', pubDate: new Date() };
      const body = Buffer.from(rss('Space News', [pushed, breach, intrusion]), 'utf8');
      const event = (method: string, query: string, extra: object) => ({
        version: '2.0',
        routeKey: `${method} /websub/{id}`,
        rawPath: `/websub/${callbackId}`,
        rawQueryString: query,
        pathParameters: { id: callbackId },
        headers: { host: 'api.example.org' },
        requestContext: { domainName: 'api.example.org', http: { method, path: `/websub/${callbackId}`, sourceIp: '198.51.100.7' } },
        isBase64Encoded: false,
        ...extra,
      });
      const verification = event('GET', new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.topic': topic, 'hub.challenge': 'c-42', 'hub.lease_seconds': '864000' }).toString(), {});
      const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
      const distribution = event('POST', '', {
        headers: { host: 'api.example.org', 'content-type': 'application/rss+xml; charset=utf-8', 'X-Hub-Signature': signature },
        // API Gateway hands a body it does not take for text as base64: the signature is over these bytes.
        body: body.toString('base64'),
        isBase64Encoded: true,
      });
      const forged = event('POST', '', { headers: { 'x-hub-signature': `sha256=${'0'.repeat(64)}` }, body: body.toString('utf8') });
      // Act
      const run = await invokeOk(websub, { ...localEnvironment(websub, { NEWSHOUND_TABLE: TABLE }), ...awsEnv() }, [verification, distribution, forged]);
      // Assess: the challenge echoed, both distributions acknowledged, the signed one recorded once.
      expect(run.results).toEqual([
        expect.objectContaining({ statusCode: 200, body: 'c-42' }),
        expect.objectContaining({ statusCode: 200, body: '' }),
        expect.objectContaining({ statusCode: 200, body: '' }),
      ]);
      const state = (await store.getPushStates([topic])).get(topic);
      expect(state).toMatchObject({ state: 'active', leaseSeconds: 864_000 });
      expect(state!.lastPushAt).toBeDefined();
      const hits = await store.pendingHits(subscriberId(ANALYST));
      expect(hits.map((h) => h.title)).toEqual([pushed.title]);
      expect(await store.pendingHits(subscriberId(BOUNCER))).toEqual([]);
      expect(run.lines).toContainEqual(expect.objectContaining({ message: 'websub callback', outcome: 'absorbed', service: 'newshound-websub', function_request_id: 'request-2' }));
      expect(run.lines).toContainEqual(expect.objectContaining({ message: 'websub distribution ignored: signature not valid', function_request_id: 'request-3' }));
      // By default the callback emits no metric.
      expect(emfDocuments(run)).toEqual([]);
    });
  });
});
