// Leases that keep two cycles from running at once (docs/cycle.md, "Lock").

/** Who holds a lock: enough for a process on the same machine to prove the holder dead. */
export interface LockHolder {
  host: string;
  pid: number;
  /** Identifies the process beyond its pid (start time), so a reused pid is not mistaken for it. */
  processStart?: string;
}

export type LockAttempt = { acquired: true; replaced?: LockLease } | { acquired: false };

export interface LockLease {
  name: string;
  owner: string;
  acquiredAt: string;
  /** Epoch seconds. */
  expiresAt: number;
  holder?: LockHolder;
}
