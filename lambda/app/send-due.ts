import type { Config } from '../core/config/schema.ts';
import type { Subscriber } from '../core/domain/subscriber.ts';
import type { Clock } from '../core/ports/clock.ts';
import type { Mailer } from '../core/ports/mailer.ts';
import type { ProcessProbe } from '../core/ports/process-probe.ts';
import type { CycleStore } from '../core/ports/store.ts';
import type { CycleLog } from './cycle-log.ts';
import { takeLease } from './lease.ts';
import type { LiveConfigCache } from './live-config.ts';
import { sendDigests, type SendResult } from './send-digests.ts';

export interface SenderDeps {
  store: CycleStore;
  mailer: Mailer;
  config: Config;
  clock: Clock;
  tokenKey: string;
  log: CycleLog;
  live: LiveConfigCache;
  processProbe?: ProcessProbe;
  /** Base of unsubscribe/manage links when config.mail.publicUrl is unset. */
  publicUrl?: string;
}

export interface SendDueResult extends SendResult {
  /** Set when another sender holds the lease: nothing was sent by this one. */
  skipped?: string;
}

const SENDER_LOCK = 'sender';
const SKIPPED_SENDING = 'another sender is running';

/**
 * Sends every digest that is due, under the sender's lease (one sender at a time, whatever polls):
 * the send-once ledger of docs/cycle.md, "Send once". Runs on its own schedule (every minute
 * deployed and in `newshound up`), so an immediate digest never waits for the slowest feed.
 */
export async function sendDue(deps: SenderDeps, options: { lockSeconds?: number; subscribers?: readonly Subscriber[] } = {}): Promise<SendDueResult> {
  const now = deps.clock.now();
  const lease = await takeLease(deps, SENDER_LOCK, SKIPPED_SENDING, now, options.lockSeconds ?? 900);
  if (typeof lease === 'string') return { emails: [], sendFailures: [], repairs: [], held: 0, skipped: lease };
  try {
    const subscribers = options.subscribers ?? (await deps.live.current(now)).subscribers;
    return await sendDigests({
      store: deps.store,
      mailer: deps.mailer,
      config: deps.config,
      now,
      tokenKey: deps.tokenKey,
      owner: lease.owner,
      lockLost: lease.lost,
      ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}),
      subscribers,
      log: deps.log,
    });
  } finally {
    await lease.release();
  }
}
