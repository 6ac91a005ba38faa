import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import { DynamoStore } from '../adapters/dynamodb/dynamo-store.ts';
import { decodeFeedBody } from '../adapters/http/decode-feed-body.ts';
import { HttpFeedFetcher } from '../adapters/http/http-feed-fetcher.ts';
import { LiveConfigCache } from '../app/live-config.ts';
import type { CallbackDeps } from '../app/websub/handle-callback.ts';
import { pushAbsorber } from '../app/websub/push-absorber.ts';
import { compileConfigTopics } from '../core/config/compile-config.ts';
import { systemClock } from '../core/ports/clock.ts';
import type { WebResponse } from '../web/http-types.ts';
import { websubRoute } from '../web/routes/websub.ts';
import { cycleLog, deployedConfig, once } from './commons/deployed.ts';
import { httpEventSchema, type HttpResult } from './commons/http-event.ts';
import { SERVICE } from './commons/metric-names.ts';
import { instrument, powertools } from './commons/powertools.ts';
import { ENV, requireEnv } from './env.ts';

// API Gateway HTTP API (payload format 2.0), routes GET and POST /websub/{id} → the WebSub callback
// (lambda/web/routes/websub.ts, the same route `newshound up` serves): a hub's verification of
// intent, or a content distribution recorded through the poll path (docs/feeds.md, "Push
// (WebSub)"). This file only translates the event and builds the ports once per container.

/**
 * The handler over injected dependencies (tests pass a store on DynamoDB Local). Any failure is an
 * answer, never a thrown invocation: a 500 makes the hub deliver again, and polling fetches the same
 * entries anyway.
 */
export function createWebSubHandler(deps: () => Promise<CallbackDeps>, logger: Logger) {
  return async (event: unknown): Promise<HttpResult> => {
    const parsed = httpEventSchema.safeParse(event);
    if (!parsed.success) {
      logger.error('not an HTTP API event', { issues: parsed.error.issues.length });
      return toResult({ status: 500, headers: {}, body: '' });
    }
    const e = parsed.data;
    try {
      const route = websubRoute(await deps());
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(e.headers)) headers[name.toLowerCase()] = value;
      // The exact bytes: the signature is over them, so a binary body must not pass through a string.
      const body = e.body === undefined ? Buffer.alloc(0) : Buffer.from(e.body, e.isBase64Encoded ? 'base64' : 'utf8');
      const response = await route({
        method: e.requestContext.http.method,
        path: e.rawPath,
        query: new URLSearchParams(e.rawQueryString),
        headers,
        body,
        sourceIp: e.requestContext.http.sourceIp,
      });
      return toResult(response);
    } catch (error) {
      // The path only: the query holds the hub's challenge, the body a feed.
      logger.error('websub callback failed', { path: e.rawPath, error: error as Error });
      return toResult({ status: 500, headers: {}, body: '' });
    }
  };
}

function toResult(response: WebResponse): HttpResult {
  return { statusCode: response.status, headers: { 'cache-control': 'no-store', ...response.headers }, body: response.body, isBase64Encoded: false };
}

// Module scope: the tools and one client per execution environment, traced in Lambda.
const tools = powertools(SERVICE.websub);
const dynamodb = tools.tracer.captureAWSv3Client(new DynamoDBClient({}));

const deployedCallbackDeps = once(async (): Promise<CallbackDeps> => {
  const { config, path } = deployedConfig();
  compileConfigTopics(config, path);
  const store = new DynamoStore({ client: dynamodb, tableName: requireEnv(ENV.table) });
  const log = cycleLog(tools.logger);
  // The same deps a worker polls with: a pushed body is matched against the live config's alerts.
  const worker = { store, fetcher: new HttpFeedFetcher(), config, live: new LiveConfigCache(store, config, { log }), clock: systemClock, log };
  return {
    store,
    clock: systemClock,
    log,
    maxBodyBytes: config.fetch.maxBytes,
    absorb: pushAbsorber(worker, (bytes, contentType) => decodeFeedBody(bytes, contentType).text),
  };
});

/** The Lambda entry point the stack names (lib/newshound-stack.ts); the runtime imports it. */
export const handler = instrument(tools, createWebSubHandler(deployedCallbackDeps, tools.logger));
