import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Where hubs call back, under the API's URL (lambda/web/routes/websub.ts serves the same path locally). */
export const WEBSUB_PATH = '/websub';

export interface SubscriptionApiProps {
  readonly handler: lambda.IFunction;
  /**
   * Serves `GET` and `POST /websub/{id}`, the WebSub callbacks hubs call (verification of intent,
   * content distribution): its own function, with the poll side's permissions, not the pages'.
   * @default no WebSub routes
   */
  readonly websubHandler?: lambda.IFunction;
  /** Steady-state requests per second across the API. @default 5 */
  readonly rateLimit?: number;
  /** Requests allowed in a burst above the rate. @default 10 */
  readonly burstLimit?: number;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The public subscribe / confirm / manage / unsubscribe endpoints: an HTTP API whose every route
 * but the WebSub callbacks goes to the api function. A subscription list sees a few requests a minute; the stage throttle
 * caps what a flood can cost (Lambda invocations, confirmation emails) far below SES quotas.
 */
export class SubscriptionApi extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  /** Base URL, no trailing slash. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: SubscriptionApiProps) {
    super(scope, id);
    const integration = new HttpLambdaIntegration('Handler', props.handler);
    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: 'Newshound subscriptions',
      createDefaultStage: false,
    });
    this.httpApi.addRoutes({ path: '/', methods: [apigw.HttpMethod.ANY], integration });
    this.httpApi.addRoutes({ path: '/{proxy+}', methods: [apigw.HttpMethod.ANY], integration });
    if (props.websubHandler) {
      // More specific than /{proxy+}, so API Gateway sends these to the WebSub function alone.
      this.httpApi.addRoutes({
        path: `${WEBSUB_PATH}/{id}`,
        methods: [apigw.HttpMethod.GET, apigw.HttpMethod.POST],
        integration: new HttpLambdaIntegration('WebSub', props.websubHandler),
      });
    }

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 5, burstLimit: props.burstLimit ?? 10 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        // The path only: query strings carry signed tokens and stay out of the logs.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            method: '$context.httpMethod',
            path: '$context.path',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    this.url = this.httpApi.apiEndpoint;

    Validations.of(this.httpApi).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'Public by design: anyone may subscribe, and hubs call the WebSub routes. State changes need a signed, single-use token (pages) or a valid hub signature over the body (WebSub), checked by the handlers; the stage is throttled.',
    });
  }
}
