/**
 * A bounced or complaining address, never mailed again. Its own item (not a subscriber status), so
 * the bounce handler never writes subscriber profiles: only the subscription API does.
 */
export interface Suppression {
  subscriberId: string;
  email: string;
  /** e.g. `bounce: Permanent/General (5.1.1)`, `complaint: abuse`. */
  reason: string;
  /** When it was recorded (ISO). */
  at: string;
}
