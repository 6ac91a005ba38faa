import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALARMED_METRIC, METRICS_NAMESPACE, SERVICE } from '../../lambda/handlers/commons/metric-names.ts';

/** Thresholds, as SES states them: above these it reviews or pauses the account. */
const SES_BOUNCE_RATE_THRESHOLD = 0.05;
const SES_COMPLAINT_RATE_THRESHOLD = 0.001;
/** A cycle in which more than this share of feeds failed points at us (egress, DNS), not at the feeds. */
const FEED_FAILURE_PERCENT_THRESHOLD = 50;

export interface OperationsAlarmsProps {
  readonly alarmTopic: sns.ITopic;
  /** Every function: each gets an Errors alarm. */
  readonly functions: Record<string, lambda.IFunction>;
  /** Every dead-letter / on-failure queue: each gets a depth alarm. */
  readonly queues: Record<string, sqs.IQueue>;
  /** Minutes between cycles: the feed-failure alarm looks at one cycle's worth of data. */
  readonly pollMinutes: number;
}

/** The alarms an operator needs to know something is wrong, all notifying one SNS topic. */
export class OperationsAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    const action = new actions.SnsAction(props.alarmTopic);
    const add = (alarm: cloudwatch.Alarm): void => {
      alarm.addAlarmAction(action);
      this.alarms.push(alarm);
    };

    for (const [name, fn] of Object.entries(props.functions)) {
      add(
        new cloudwatch.Alarm(this, `${name}Errors`, {
          alarmDescription: `The ${name} function failed (an invocation threw or timed out).`,
          metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    for (const [name, queue] of Object.entries(props.queues)) {
      add(
        new cloudwatch.Alarm(this, `${name}Depth`, {
          alarmDescription: `${name} holds failed events: inspect them, then purge or redrive.`,
          metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    // One period spans one cycle; CloudWatch allows at most a day. The poll function emits the
    // cycle's share as one data point (one custom metric instead of two); Maximum takes the worst
    // cycle when a manual invocation adds a second one to the period.
    const period = Duration.minutes(Math.min(Math.max(props.pollMinutes, 1), 1440));
    add(
      new cloudwatch.Alarm(this, 'MostFeedsFailed', {
        alarmDescription: 'More than half of the feeds failed in a cycle: check the poll logs (network, DNS, a bad deploy).',
        metric: new cloudwatch.Metric({
          namespace: METRICS_NAMESPACE,
          metricName: ALARMED_METRIC.feedFailurePercent,
          dimensionsMap: { service: SERVICE.poll },
          statistic: 'Maximum',
          period,
        }),
        threshold: FEED_FAILURE_PERCENT_THRESHOLD,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );

    // Account-level reputation: the figures SES itself acts on (per configuration set they are
    // published too, but a pause is decided on the account's rates).
    const reputation = (metricName: string): cloudwatch.Metric =>
      new cloudwatch.Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) });
    add(
      new cloudwatch.Alarm(this, 'SesBounceRate', {
        alarmDescription: 'SES bounce rate at or above 5%: SES reviews the account at this level.',
        metric: reputation('Reputation.BounceRate'),
        threshold: SES_BOUNCE_RATE_THRESHOLD,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    add(
      new cloudwatch.Alarm(this, 'SesComplaintRate', {
        alarmDescription: 'SES complaint rate at or above 0.1%: SES reviews the account at this level.',
        metric: reputation('Reputation.ComplaintRate'),
        threshold: SES_COMPLAINT_RATE_THRESHOLD,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }
}
