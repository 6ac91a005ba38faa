import { randomUUID } from 'node:crypto';
import type { LockLease } from '../core/domain/lock.ts';
import type { LockStore } from '../core/ports/lock-store.ts';
import type { ProcessProbe } from '../core/ports/process-probe.ts';
import type { CycleLog } from './cycle-log.ts';

/** A lease this process holds: renewed while it works, released when done (docs/cycle.md, "Lock"). */
export interface HeldLease {
  owner: string;
  /** What to report about a lease this one replaced (a holder that died or whose lease ran out). */
  note?: string;
  /** True once a renewal found the lease taken by another owner: stop claiming work. */
  lost(): boolean;
  release(): Promise<void>;
}

export interface LeaseDeps {
  store: LockStore;
  processProbe?: ProcessProbe;
  log: CycleLog;
}

/**
 * Takes the lease `name`: free, expired, or held by a process proved dead (locally). Returns the
 * held lease, renewed every third of its length, or the reason it was refused (naming the holder).
 * `now` is the work's clock (`--now`); renewals advance it by the real time elapsed.
 */
export async function takeLease(deps: LeaseDeps, name: string, busyReason: string, now: Date, seconds: number): Promise<HeldLease | string> {
  const { store, processProbe, log } = deps;
  const owner = randomUUID();
  const self = processProbe?.self();
  let note: string | undefined;
  const attempt = await store.acquireLock(name, owner, now, seconds, self);
  if (attempt.acquired) {
    if (attempt.replaced) note = `the previous holder (${holderText(attempt.replaced)}) stopped without releasing its lock; its lease ended at ${leaseEnd(attempt.replaced)}`;
  } else {
    const lease = await store.getLock(name);
    const dead = lease?.holder && processProbe?.isDead(lease.holder);
    if (!lease || !dead || !(await store.takeOverLock(name, lease.owner, owner, now, seconds, self))) {
      return lease ? `${busyReason} (${holderText(lease)}, since ${lease.acquiredAt}; its lease ends at ${leaseEnd(lease)})` : busyReason;
    }
    note = `took over the lock of ${holderText(lease)}, which is no longer running`;
  }
  if (note) log.warn('lock taken over', { lock: name, note });

  let lost = false;
  const started = Date.now();
  const heartbeat = setInterval(
    () => {
      const at = new Date(now.getTime() + (Date.now() - started));
      store
        .acquireLock(name, owner, at, seconds, self)
        .then((renewed) => {
          if (!renewed.acquired) lost = true;
        })
        .catch((err: unknown) => log.warn('lock renewal failed', { lock: name, error: err instanceof Error ? err.message : String(err) }));
    },
    Math.max(1_000, (seconds * 1000) / 3),
  );
  heartbeat.unref();
  return {
    owner,
    ...(note ? { note } : {}),
    lost: () => lost,
    release: async () => {
      clearInterval(heartbeat);
      await store.releaseLock(name, owner).catch((err: unknown) => {
        // The lease expires by itself; a failed release only delays the next holder.
        log.warn('lock release failed', { lock: name, error: err instanceof Error ? err.message : String(err) });
      });
    },
  };
}

function holderText(lease: LockLease): string {
  return lease.holder ? `process ${lease.holder.pid} on ${lease.holder.host}` : `owner ${lease.owner.slice(0, 8)}`;
}

function leaseEnd(lease: LockLease): string {
  return new Date(lease.expiresAt * 1000).toISOString();
}
