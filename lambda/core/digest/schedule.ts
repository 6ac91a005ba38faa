import type { Frequency } from '../config/schema.ts';
import { knownZone, localTime } from './local-time.ts';

export interface DigestDueInput {
  frequency: Frequency;
  /** IANA zone; only daily digests depend on it. */
  timezone: string;
  /** `HH:MM`, local time of the daily digest (config `mail.dailyAt`). */
  dailyAt: string;
  /** The cycle clock (`--now`). */
  now: Date;
  /** When the subscriber's most recent digest was sent, if ever. */
  lastSentAt?: Date;
  hasPending: boolean;
}

export interface DigestDue {
  due: boolean;
  /**
   * A stable name of the schedule period `now` falls in; part of the digest id, so a retried or
   * overlapping cycle in the same period computes the same id and its ledger claim collides.
   * - `immediate`: no period at all. The id then depends only on the pending hits, which a given
   *   subscriber can receive at most once, so a retry with the same hits collides even minutes later.
   * - `hourly:YYYY-MM-DDTHH`: the UTC clock hour. (Equal to the local clock hour in every zone with
   *   a whole-hour offset; zones like Asia/Kolkata get their digest at half past the local hour.)
   * - `daily:YYYY-MM-DD@Zone`: the subscriber's local date.
   */
  slot: string;
}

/**
 * docs/behaviour.md, Digests. immediate: whenever hits are pending. hourly: the first cycle of each UTC clock hour
 * that has pending hits, i.e. none was sent since the hour began. daily: the first cycle at or after
 * `dailyAt` local time with pending hits, once per local date.
 *
 * Daily compares local wall-clock readings (`YYYY-MM-DD HH:MM:SS`) rather than instants, which keeps
 * DST days right without computing the instant of `dailyAt`: on a spring-forward day a `dailyAt` that
 * does not exist (02:30 in New York) fires at the first cycle after the gap; on a fall-back day a
 * `dailyAt` inside the repeated hour fires on its first occurrence and not again on the second,
 * since the digest sent then reads as at/after `dailyAt` on the same date.
 */
export function digestDue(input: DigestDueInput): DigestDue {
  const { frequency, now, lastSentAt, hasPending } = input;
  switch (frequency) {
    case 'immediate':
      return { due: hasPending, slot: 'immediate' };
    case 'hourly': {
      const hourStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), now.getUTCHours());
      const slot = `hourly:${now.toISOString().slice(0, 13)}`;
      // A digest stamped later than now (a replayed earlier --now) also counts as already sent.
      const sentThisHour = lastSentAt !== undefined && lastSentAt.getTime() >= hourStart;
      return { due: hasPending && !sentThisHour, slot };
    }
    case 'daily': {
      const timeZone = knownZone(input.timezone);
      const nowLocal = localTime(now, timeZone);
      const threshold = `${nowLocal.date} ${normalizeDailyAt(input.dailyAt)}`;
      const slot = `daily:${nowLocal.date}@${timeZone}`;
      const reached = `${nowLocal.date} ${nowLocal.time}` >= threshold;
      let sentToday = false;
      if (lastSentAt) {
        const last = localTime(lastSentAt, timeZone);
        sentToday = `${last.date} ${last.time}` >= threshold;
      }
      return { due: hasPending && reached && !sentToday, slot };
    }
  }
}

/** `8:00` or `08:00` → `08:00:00`, so it compares with `HH:MM:SS` readings as strings. */
function normalizeDailyAt(dailyAt: string): string {
  const match = /^(\d{1,2}):(\d{2})$/.exec(dailyAt.trim());
  if (!match) throw new Error(`dailyAt must be HH:MM, got ${JSON.stringify(dailyAt)}`);
  return `${match[1]!.padStart(2, '0')}:${match[2]}:00`;
}
