import type { LockAttempt, LockHolder, LockLease } from '../domain/lock.ts';

/** Leases: no two cycles at once. */
export interface LockStore {
  /**
   * Takes (or renews, for the same owner) a lease; `acquired: false` when another owner holds an
   * unexpired one. `replaced` is the expired lease of another owner this one took the place of.
   */
  acquireLock(name: string, owner: string, now: Date, ttlSeconds: number, holder?: LockHolder): Promise<LockAttempt>;
  /** The current lease, expired or not; undefined when nobody took it. */
  getLock(name: string): Promise<LockLease | undefined>;
  /** Replaces the lease of `staleOwner` (proved dead by the caller); false when it changed meanwhile. */
  takeOverLock(name: string, staleOwner: string, owner: string, now: Date, ttlSeconds: number, holder?: LockHolder): Promise<boolean>;
  releaseLock(name: string, owner: string): Promise<void>;
}
