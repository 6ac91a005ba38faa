import type { Frequency } from '../config/schema.ts';
import type { Alert } from './alert.ts';

// Who gets digests, and how often.

type SubscriberStatus = 'pending' | 'active' | 'unsubscribed' | 'suppressed';

export interface Subscriber {
  /** Stable id derived from the lower-cased address (see subscriberId()). */
  id: string;
  email: string;
  topics: string[];
  frequency: Frequency;
  timezone: string;
  /** Personal alerts, in the order the subscriber made them (at most alerts.maxPerSubscriber). */
  alerts?: Alert[];
  status: SubscriberStatus;
  /**
   * `config`: listed in the config file, which owns the settings; a stored `config` record only
   * carries the recipient's status (written by unsubscribe or confirm). `api`: owned by the API.
   */
  source: 'config' | 'api' | 'operator';
  createdAt: string;
  updatedAt: string;
  /** Why the address is suppressed (bounce, complaint) when status is `suppressed`. */
  suppressedReason?: string;
}
