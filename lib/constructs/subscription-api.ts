import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface SubscriptionApiProps {
  readonly handler: lambda.IFunction;
  /** Steady-state requests per second across the API. @default 5 */
  readonly rateLimit?: number;
  /** Requests allowed in a burst above the rate. @default 10 */
  readonly burstLimit?: number;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The public subscribe / confirm / manage / unsubscribe endpoints: an HTTP API whose every route
 * goes to the api function. A subscription list sees a few requests a minute; the stage throttle
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
      reason: 'Public by design: anyone may subscribe. State changes need a signed, single-use token checked by the handler; the stage is throttled.',
    });
  }
}
