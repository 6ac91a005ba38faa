import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoStore } from '../adapters/dynamodb/dynamo-store.ts';
import { SesMailer } from '../adapters/mail/ses-mailer.ts';
import { secretTokenKey } from '../adapters/secrets/secret-token-key.ts';
import { loadConfigFile } from '../adapters/config/load-config.ts';
import { RecentStoryCache } from '../app/recent-story-cache.ts';
import { systemClock } from '../core/ports/clock.ts';
import { handleRequest } from '../web/handle-request.ts';
import type { WebRequest } from '../web/http-types.ts';
import { serverError } from '../web/responses.ts';
import type { WebDeps } from '../web/web-deps.ts';
import { httpEventSchema, type HttpEvent, type HttpResult } from './commons/http-event.ts';
import { SERVICE } from './commons/metric-names.ts';
import { instrument, powertools } from './commons/powertools.ts';
import { ENV, optionalEnv, requireEnv, taskPath } from './env.ts';

// API Gateway HTTP API (payload format 2.0) or a Lambda Function URL → handleRequest, the same
// router `newshound serve` runs. This file only translates events and builds the ports once.

/** Event → WebRequest; header names lower-cased (API Gateway already does; Function URLs too). */
export function toWebRequest(event: HttpEvent): WebRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers)) headers[name.toLowerCase()] = value;
  const body = event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64') : event.body;
  return {
    method: event.requestContext.http.method,
    path: event.rawPath || '/',
    query: new URLSearchParams(event.rawQueryString),
    headers,
    body,
    sourceIp: event.requestContext.http.sourceIp,
  };
}

/** The handler over injected dependencies (tests pass a store on DynamoDB Local and an outbox). */
export function createApiHandler(deps: () => Promise<WebDeps>, logger: Logger = new Logger({ serviceName: SERVICE.api })) {
  return async (event: unknown): Promise<HttpResult> => {
    const parsed = httpEventSchema.safeParse(event);
    if (!parsed.success) {
      logger.error('not an HTTP API event', { issues: parsed.error.issues.length });
      return toResult(serverError());
    }
    let webDeps: WebDeps;
    try {
      webDeps = await deps();
    } catch (error) {
      logger.error('cold start failed', { error: error as Error });
      return toResult(serverError());
    }
    const response = await handleRequest(toWebRequest(parsed.data), {
      ...webDeps,
      // Path only: query strings and bodies carry tokens and addresses.
      onError: (error) => logger.error('request failed', { path: parsed.data.rawPath, error: error as Error }),
    });
    return toResult(response);
  };
}

function toResult(response: { status: number; headers: Record<string, string>; body: string }): HttpResult {
  return { statusCode: response.status, headers: response.headers, body: response.body, isBase64Encoded: false };
}

// Module scope: the tools and one client of each kind per execution environment, traced in Lambda.
const tools = powertools(SERVICE.api);
const dynamodb = tools.tracer.captureAWSv3Client(new DynamoDBClient({}));
const ses = tools.tracer.captureAWSv3Client(new SESClient({}));
const secrets = tools.tracer.captureAWSv3Client(new SecretsManagerClient({}));
let cached: Promise<WebDeps> | undefined;

function productionDeps(): Promise<WebDeps> {
  cached ??= (async (): Promise<WebDeps> => {
    const config = loadConfigFile(taskPath(requireEnv(ENV.configPath)));
    const publicUrl = optionalEnv(ENV.publicUrl) ?? config.mail.publicUrl;
    if (!publicUrl) throw new Error(`${ENV.publicUrl} is not set and the config has no mail.publicUrl`);
    const store = new DynamoStore({ client: dynamodb, tableName: requireEnv(ENV.table) });
    return {
      config,
      store,
      mailer: new SesMailer({ client: ses, configurationSet: optionalEnv(ENV.sesConfigurationSet) }),
      tokenKey: await secretTokenKey(requireEnv(ENV.secretArn), secrets),
      publicUrl: publicUrl.replace(/\/+$/, ''),
      clock: systemClock,
      // Kept with the deps for the container's life: previews after the first read only what is new.
      recentStories: new RecentStoryCache(store, systemClock),
    };
  })();
  // A failed cold start (a missing variable, Secrets Manager unreachable) is retried next request.
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}

export const handler = instrument(tools, createApiHandler(productionDeps, tools.logger));
