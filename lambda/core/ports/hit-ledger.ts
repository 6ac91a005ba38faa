import type { Frequency } from '../config/schema.ts';
import type { DigestRecord } from '../domain/digest-record.ts';
import type { Hit } from '../domain/hit.ts';

/** Hits and the digest ledger: what a subscriber is owed, and what was sent (docs/cycle.md, "Send once"). */
export interface HitLedger {
  /** Conditional put: false when this subscriber already has a hit for this story. */
  putHit(hit: Hit): Promise<boolean>;
  /**
   * Pending hits, oldest first, at most `limit` (default: all). Each index entry is checked against
   * its record, so an index entry left behind by a crash (the embedded engine writes the index and
   * the record separately) is never taken for a pending hit. With `accept`, only the checked records
   * it accepts are returned and count towards `limit` (the frequency classes that are due).
   */
  pendingHits(subscriberId: string, limit?: number, accept?: (hit: Hit) => boolean): Promise<Hit[]>;
  /** How many hits are pending (an upper bound: index entries are counted, not checked). */
  countPendingHits(subscriberId: string): Promise<number>;
  /** The subscriber's hits (pending or sent) for these stories. */
  getHits(subscriberId: string, storyKeys: string[]): Promise<Hit[]>;
  markHitsSent(subscriberId: string, storyKeys: string[], digestId: string): Promise<void>;

  /** Conditional put; false when the digest id was already claimed (by this or another cycle). */
  claimDigest(record: DigestRecord): Promise<boolean>;
  getDigest(subscriberId: string, digestId: string): Promise<DigestRecord | undefined>;
  /** `claimed` → `sending`, only while `owner` holds it; false otherwise (nothing changed). */
  markDigestAttempted(subscriberId: string, digestId: string, owner: string, at: string): Promise<boolean>;
  /** Moves an unfinished claim from a dead owner to `owner`; false when someone else moved it first. */
  takeOverDigest(subscriberId: string, digestId: string, fromOwner: string | undefined, owner: string): Promise<boolean>;
  /**
   * Records a confirmed digest (state `sent`) and makes it the last sent one unless a newer one is;
   * likewise the last sent one of each hourly or daily class it carried (`frequencies`).
   */
  recordSentDigest(record: DigestRecord): Promise<void>;
  /** Deletes an unfinished claim (never a sent entry), so the hits stay pending and a later cycle retries. */
  releaseDigest(subscriberId: string, digestId: string): Promise<void>;
  /**
   * The most recent sent digest; with `frequency` (hourly or daily), the most recent one that carried
   * that class, falling back to the most recent of all when it was written before classes were kept
   * (carriesFrequency).
   */
  lastSentDigest(subscriberId: string, frequency?: Frequency): Promise<DigestRecord | undefined>;
}
