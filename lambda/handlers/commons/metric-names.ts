// The CloudWatch metrics the handlers emit and the stack's alarms read. One list so the two never
// drift apart: a renamed metric would silently leave an alarm watching nothing.

/** CloudWatch namespace of every custom metric (POWERTOOLS_METRICS_NAMESPACE in the functions). */
export const METRICS_NAMESPACE = 'Newshound';

/** Powertools `service` names (POWERTOOLS_SERVICE_NAME); Powertools adds `service` as a dimension. */
export const SERVICE = {
  dispatch: 'newshound-dispatch',
  worker: 'newshound-worker',
  sender: 'newshound-sender',
  sesEvents: 'newshound-ses-events',
  api: 'newshound-api',
  websub: 'newshound-websub',
} as const;

/**
 * The one metric an alarm reads, always emitted by the worker: one value per feed it polled, 100
 * when the poll failed and 0 when it did not, so the Average over a period is the share of polls
 * that failed and the SampleCount the number of polls (docs/deploy.md, "Metrics and alarms").
 */
export const ALARMED_METRIC = { feedFailurePercent: 'FeedFailurePercent' } as const;

/**
 * Emitted only with `-c metrics=full` (each is a custom metric, $0.30 a month); otherwise the same
 * figures are fields of the log line that closes each invocation, for CloudWatch Logs Insights.
 * All unit Count, one data point per message batch (worker), per send run (sender) or per
 * notification batch (ses-events).
 */
export const FULL_METRIC = {
  feedsPolled: 'FeedsPolled',
  feedsFailed: 'FeedsFailed',
  itemsSeen: 'ItemsSeen',
  newItems: 'NewItems',
  hits: 'Hits',
  emailsSent: 'EmailsSent',
  sendFailures: 'SendFailures',
  subscribersSuppressed: 'SubscribersSuppressed',
} as const;

/** Which metrics the functions emit: what the alarms read, or everything (NEWSHOUND_METRICS). */
export type MetricsLevel = 'alarms' | 'full';
export const METRICS_LEVELS: readonly MetricsLevel[] = ['alarms', 'full'];
