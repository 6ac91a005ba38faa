import type { LockHolder } from '../domain/lock.ts';

/**
 * Tells whether a lock's holder is provably dead, so a crashed local run does not block the next one
 * for a whole lease. Only the CLI has one: in Lambda a holder on another sandbox cannot be checked,
 * and the lease (longer than any invocation) decides.
 */
export interface ProcessProbe {
  /** This process, recorded in the locks it takes. */
  self(): LockHolder;
  isDead(holder: LockHolder): boolean;
}
