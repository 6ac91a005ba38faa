import { CfnOutput, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as ses from 'aws-cdk-lib/aws-ses';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { Sender } from '../sender.ts';
import { notificationTopic } from './notification-topics.ts';

export interface SesSendingProps {
  readonly sender: Sender;
  /** Encrypts the events topic; its key policy must let SES use it. @default not encrypted */
  readonly topicKey?: kms.IKey;
}

/**
 * Everything SES needs to send on Newshound's behalf and to report back: the identity (when the
 * deploy context asks the stack to create it), a configuration set with reputation metrics, and
 * bounce/complaint events published to an SNS topic that the ses-events handler consumes.
 */
export class SesSending extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly configurationSetArn: string;
  /** Bounce and complaint events (SES event publishing format, `eventType`). */
  readonly eventsTopic: sns.Topic;
  /** ARNs of the identities the functions may send as. */
  readonly identityArns: string[];
  readonly identity?: ses.EmailIdentity;

  constructor(scope: Construct, id: string, props: SesSendingProps) {
    super(scope, id);
    const { sender } = props;

    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      // SES itself stops sending to addresses on the account suppression list, on top of our own.
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSetArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });

    /** SES publishes bounces and complaints here; the ses-events function suppresses those addresses. */
    this.eventsTopic = notificationTopic(this, 'EventsTopic', {
      displayName: 'Newshound SES bounces and complaints',
      carries: 'events',
      key: props.topicKey,
    });
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: ses.EventDestination.snsTopic(this.eventsTopic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });

    if (sender.create) {
      this.identity = new ses.EmailIdentity(this, 'Identity', {
        identity:
          sender.create.kind === 'email'
            ? ses.Identity.email(sender.create.name)
            : ses.Identity.domain(sender.create.name), // Easy DKIM (RSA 2048) by default
        configurationSet: this.configurationSet,
      });
      if (sender.create.kind === 'domain') {
        // The three CNAMEs to publish in DNS; SES verifies the domain once they resolve.
        [0, 1, 2].forEach((i) => {
          new CfnOutput(this, `DkimRecord${i + 1}`, {
            value: `${this.identity!.dkimRecords[i]!.name} CNAME ${this.identity!.dkimRecords[i]!.value}`,
            description: `Easy DKIM record ${i + 1} of 3 for ${sender.create!.name}`,
          });
        });
      }
    }
    this.identityArns = sender.identities.map((name) =>
      Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: name }),
    );
  }
}
