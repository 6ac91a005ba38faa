import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

// The two topics AWS services publish to: SES (bounces and complaints) and CloudWatch (alarms).
// Neither service can publish to a topic under the AWS-managed key `aws/sns`: its key policy is
// fixed and admits no service principal, so server-side encryption needs a customer-managed key,
// $1.00 a month (docs/deploy.md, "What it costs per month"). By default the topics go without it:
// each message is held only until SNS delivers it, and only TLS requests are accepted. With
// `-c encryptTopics=true` the stack creates the key and both topics use it.

/** Why a topic goes without server-side encryption, as cdk-nag is told. */
const WITHOUT_KEY_REASON = {
  events:
    'SES can publish only to a topic under a customer-managed key ($1.00/month, the aws/sns key policy admits no service principal); a bounce notification is held only until SNS delivers it to the ses-events function, over TLS only (enforceSSL); -c encryptTopics=true adds the key (docs/deploy.md).',
  alarms:
    'CloudWatch alarm actions can publish only to a topic under a customer-managed key ($1.00/month, the aws/sns key policy admits no service principal); alarm notifications hold alarm names, states and metric values, no subscriber data, and travel over TLS only (enforceSSL); -c encryptTopics=true adds the key (docs/deploy.md).',
} as const;

/** A key SES and CloudWatch of this account may use to publish to the topics it encrypts. */
export function topicEncryptionKey(scope: Construct, id: string): kms.Key {
  const key = new kms.Key(scope, id, {
    description: 'Newshound: SNS topics (SES events, alarms)',
    enableKeyRotation: true,
    // Only in-flight notifications depend on it: scheduled for deletion with the stack.
    removalPolicy: RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(7),
  });
  for (const service of ['ses.amazonaws.com', 'cloudwatch.amazonaws.com']) {
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(service)],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
      }),
    );
  }
  return key;
}

export interface NotificationTopicProps {
  readonly displayName: string;
  /** Which topic: says why it may go without a key. */
  readonly carries: keyof typeof WITHOUT_KEY_REASON;
  /** @default no server-side encryption (see above) */
  readonly key?: kms.IKey;
}

/** A TLS-only topic, encrypted when a key is given. */
export function notificationTopic(scope: Construct, id: string, props: NotificationTopicProps): sns.Topic {
  const topic = new sns.Topic(scope, id, { displayName: props.displayName, masterKey: props.key, enforceSSL: true });
  if (!props.key) Validations.of(topic).acknowledge({ id: 'AwsSolutions-SNS2', reason: WITHOUT_KEY_REASON[props.carries] });
  return topic;
}
