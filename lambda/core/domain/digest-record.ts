import type { Frequency } from '../config/schema.ts';

// The send-once ledger (docs/cycle.md, "Send once").

/**
 * `claimed`: the stories are reserved for a digest whose send has not started; `sending`: the send
 * was started (handed to the mailer), its outcome not yet recorded; `sent`: confirmed.
 */
export type DigestState = 'claimed' | 'sending' | 'sent';

/**
 * The send-once ledger. The per-subscriber in-flight marker (claimed, then sending) says which
 * stories one digest carries and whether its send was attempted; the digest's own entry is written
 * `sent` once the mailer confirmed. At most 100 (mail.maxStoriesPerDigest) keys of at most 500
 * bytes each: an entry stays far below DynamoDB's 400 KB item limit.
 */
export interface DigestRecord {
  subscriberId: string;
  digestId: string;
  state: DigestState;
  storyKeys: string[];
  claimedAt: string;
  /** The in-flight marker only: the id of the digest it carries (a sha256 hex, see digestId()). */
  carries?: string;
  /** The in-flight marker only: the cycle that holds it (its lock owner). */
  owner?: string;
  /** When the send was handed to the mailer. */
  attemptedAt?: string;
  sentAt?: string;
  messageId?: string;
  /** Stories still pending after this digest (it was cut at mail.maxStoriesPerDigest). */
  waiting?: number;
  /**
   * The frequency classes whose stories this digest carried (docs/cycle.md, "Frequencies"): the
   * hourly and daily schedules read the last digest of their own class. Absent on digests from
   * before personal alerts, which carried the subscriber's one frequency.
   */
  frequencies?: Frequency[];
  expiresAt: number;
}

/** The classes with a schedule (hourly, daily) this digest carried: each keeps its own last-digest copy. */
export function scheduledClasses(record: DigestRecord): Frequency[] {
  return (record.frequencies ?? []).filter((f) => f !== 'immediate');
}

/** True when the digest counts for this class's schedule (an old record without classes counts for any). */
export function carriesFrequency(record: DigestRecord, frequency: Frequency): boolean {
  return record.frequencies === undefined || record.frequencies.includes(frequency);
}
