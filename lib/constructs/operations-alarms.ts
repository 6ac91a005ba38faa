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
/** More than this share of polls failing points at us (egress, DNS, a bad deploy), not at the feeds. */
const FEED_FAILURE_PERCENT_THRESHOLD = 50;
/** Fewer polls than this in a period say too little: one failing feed in a quiet quarter hour is not an outage. */
const FEED_FAILURE_MIN_POLLS = 10;
const FEED_FAILURE_PERIOD = Duration.minutes(15);
/** A feed job waiting longer than this means the workers do not keep up (or do not run). */
const OLDEST_FEED_JOB_SECONDS = 15 * 60;

export interface OperationsAlarmsProps {
  readonly alarmTopic: sns.ITopic;
  /** Every function: each gets an Errors alarm. */
  readonly functions: Record<string, lambda.IFunction>;
  /** Every dead-letter / on-failure queue: each gets a depth alarm. */
  readonly queues: Record<string, sqs.IQueue>;
  /** The queue of feed jobs: an alarm on the age of its oldest message. */
  readonly feedQueue: sqs.IQueue;
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

    add(
      new cloudwatch.Alarm(this, 'FeedJobsWaiting', {
        alarmDescription: 'A feed job has waited more than 15 minutes: the workers do not keep up or do not run (check the worker errors and throttles).',
        metric: props.feedQueue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
        threshold: OLDEST_FEED_JOB_SECONDS,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );

    // The worker emits one FeedFailurePercent value per polled feed (100 failed, 0 not): the Average
    // is the share of failed polls, the SampleCount the number of polls, both off one custom metric.
    const failures = (statistic: string) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: ALARMED_METRIC.feedFailurePercent,
        dimensionsMap: { service: SERVICE.worker },
        statistic,
        period: FEED_FAILURE_PERIOD,
      });
    add(
      new cloudwatch.Alarm(this, 'MostFeedsFailed', {
        alarmDescription: 'More than half of at least 10 feed polls in 15 minutes failed: check the worker logs (network, DNS, a bad deploy).',
        metric: new cloudwatch.MathExpression({
          expression: `IF(polls >= ${FEED_FAILURE_MIN_POLLS}, failedShare, 0)`,
          usingMetrics: { failedShare: failures('Average'), polls: failures('SampleCount') },
          period: FEED_FAILURE_PERIOD,
          label: 'Failed polls (%)',
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
