// The CloudWatch metrics the handlers emit and the stack's alarms read. One list so the two never
// drift apart: a renamed metric would silently leave an alarm watching nothing.

/** CloudWatch namespace of every custom metric (POWERTOOLS_METRICS_NAMESPACE in the functions). */
export const METRICS_NAMESPACE = 'Newshound';

/** Powertools `service` names (POWERTOOLS_SERVICE_NAME); Powertools adds `service` as a dimension. */
export const SERVICE = {
  poll: 'newshound-poll',
  sesEvents: 'newshound-ses-events',
  api: 'newshound-api',
} as const;

/** Metric names, all unit Count, one data point per cycle (poll) or per notification (ses-events). */
export const METRIC = {
  feedsPolled: 'FeedsPolled',
  feedsFailed: 'FeedsFailed',
  itemsSeen: 'ItemsSeen',
  newItems: 'NewItems',
  hits: 'Hits',
  emailsSent: 'EmailsSent',
  sendFailures: 'SendFailures',
  subscribersSuppressed: 'SubscribersSuppressed',
} as const;
