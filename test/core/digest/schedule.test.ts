import { describe, expect, it } from 'vitest';
import { digestDue, type DigestDueInput } from '../../../lambda/core/digest/schedule.ts';

const at = (iso: string) => new Date(iso);
const daily = (overrides: Partial<DigestDueInput>): DigestDueInput => ({
  frequency: 'daily',
  timezone: 'Asia/Tokyo',
  dailyAt: '08:00',
  now: at('2026-11-28T00:00:00Z'),
  hasPending: true,
  ...overrides,
});

describe('immediate digests', () => {
  it('are due whenever hits are pending, whatever was sent a moment ago', () => {
    const result = digestDue({
      frequency: 'immediate',
      timezone: 'UTC',
      dailyAt: '08:00',
      now: at('2026-11-28T04:10:00Z'),
      lastSentAt: at('2026-11-28T04:09:00Z'),
      hasPending: true,
    });

    expect(result).toEqual({ due: true, slot: 'immediate' });
  });

  it('are not due without pending hits', () => {
    const result = digestDue({ frequency: 'immediate', timezone: 'UTC', dailyAt: '08:00', now: at('2026-11-28T04:10:00Z'), hasPending: false });

    expect(result.due).toBe(false);
  });
});

describe('hourly digests', () => {
  const base = { frequency: 'hourly' as const, timezone: 'Asia/Tokyo', dailyAt: '08:00', hasPending: true };

  it('are due at the first cycle of a clock hour and name the UTC hour', () => {
    const result = digestDue({ ...base, now: at('2026-11-28T04:00:30Z'), lastSentAt: at('2026-11-28T03:10:00Z') });

    expect(result).toEqual({ due: true, slot: 'hourly:2026-11-28T04' });
  });

  it('are not due again within the same clock hour', () => {
    const result = digestDue({ ...base, now: at('2026-11-28T04:50:00Z'), lastSentAt: at('2026-11-28T04:00:30Z') });

    expect(result).toEqual({ due: false, slot: 'hourly:2026-11-28T04' });
  });

  it('wait for pending hits: a later cycle in the hour sends if the first had nothing', () => {
    const first = digestDue({ ...base, now: at('2026-11-28T05:00:00Z'), lastSentAt: at('2026-11-28T03:10:00Z'), hasPending: false });
    const later = digestDue({ ...base, now: at('2026-11-28T05:20:00Z'), lastSentAt: at('2026-11-28T03:10:00Z') });

    expect(first.due).toBe(false);
    expect(later.due).toBe(true);
  });

  it('are due for a subscriber who never had a digest', () => {
    expect(digestDue({ ...base, now: at('2026-11-28T05:20:00Z') }).due).toBe(true);
  });
});

describe('daily digests in Asia/Tokyo at 08:00', () => {
  it('are not due before 08:00 local time', () => {
    // 07:59 JST is 22:59 UTC the day before.
    const result = digestDue(daily({ now: at('2026-11-27T22:59:00Z'), lastSentAt: at('2026-11-26T23:05:00Z') }));

    expect(result).toEqual({ due: false, slot: 'daily:2026-11-28@Asia/Tokyo' });
  });

  it('are due at the first cycle at or after 08:00 local time', () => {
    const result = digestDue(daily({ now: at('2026-11-27T23:00:00Z'), lastSentAt: at('2026-11-26T23:05:00Z') }));

    expect(result).toEqual({ due: true, slot: 'daily:2026-11-28@Asia/Tokyo' });
  });

  it('are due later that day if the 08:00 cycle had nothing pending', () => {
    const result = digestDue(daily({ now: at('2026-11-28T06:00:00Z'), lastSentAt: at('2026-11-26T23:05:00Z') }));

    expect(result.due).toBe(true);
  });

  it('are sent once per local date', () => {
    // Sent 08:10 JST; now 23:50 JST the same date.
    const result = digestDue(daily({ now: at('2026-11-28T14:50:00Z'), lastSentAt: at('2026-11-27T23:10:00Z') }));

    expect(result.due).toBe(false);
  });

  it('are due the next local date even though the UTC date has not changed', () => {
    // Last sent 08:10 JST on the 28th (23:10Z on the 27th); now 08:00 JST on the 29th (23:00Z on the 28th).
    const result = digestDue(daily({ now: at('2026-11-28T23:00:00Z'), lastSentAt: at('2026-11-27T23:10:00Z') }));

    expect(result).toEqual({ due: true, slot: 'daily:2026-11-29@Asia/Tokyo' });
  });

  it('count an earlier digest that day only if it went out at or after 08:00', () => {
    // A digest at 03:00 JST (say, the subscriber was on immediate until then) does not replace the daily one.
    const result = digestDue(daily({ now: at('2026-11-27T23:30:00Z'), lastSentAt: at('2026-11-27T18:00:00Z') }));

    expect(result.due).toBe(true);
  });

  it('are not due without pending hits', () => {
    expect(digestDue(daily({ now: at('2026-11-27T23:30:00Z'), hasPending: false })).due).toBe(false);
  });
});

describe('daily digests across DST in America/New_York', () => {
  const ny = (overrides: Partial<DigestDueInput>) => daily({ timezone: 'America/New_York', ...overrides });

  it('fire at 08:00 EDT (12:00Z) on the spring-forward day', () => {
    // 2026-03-08: clocks go 02:00 EST → 03:00 EDT.
    const before = digestDue(ny({ now: at('2026-03-08T11:59:00Z'), lastSentAt: at('2026-03-07T13:00:00Z') }));
    const after = digestDue(ny({ now: at('2026-03-08T12:00:00Z'), lastSentAt: at('2026-03-07T13:00:00Z') }));

    expect(before.due).toBe(false);
    expect(after).toEqual({ due: true, slot: 'daily:2026-03-08@America/New_York' });
  });

  it('fire at the first cycle after a dailyAt that does not exist that day (02:30 on spring-forward)', () => {
    const lastSentAt = at('2026-03-07T07:30:00Z'); // 02:30 EST the day before
    const gapStart = digestDue(ny({ dailyAt: '02:30', now: at('2026-03-08T06:59:00Z'), lastSentAt })); // 01:59 EST
    const afterGap = digestDue(ny({ dailyAt: '02:30', now: at('2026-03-08T07:00:00Z'), lastSentAt })); // 03:00 EDT

    expect(gapStart.due).toBe(false);
    expect(afterGap.due).toBe(true);
  });

  it('fire once on the fall-back day when dailyAt falls in the repeated hour', () => {
    // 2026-11-01: 01:30 EDT is 05:30Z; clocks go back at 02:00 EDT; 01:30 EST is 06:30Z.
    const first = digestDue(ny({ dailyAt: '01:30', now: at('2026-11-01T05:30:00Z'), lastSentAt: at('2026-10-31T05:30:00Z') }));
    const repeated = digestDue(ny({ dailyAt: '01:30', now: at('2026-11-01T06:30:00Z'), lastSentAt: at('2026-11-01T05:30:00Z') }));

    expect(first.due).toBe(true);
    expect(repeated).toEqual({ due: false, slot: 'daily:2026-11-01@America/New_York' });
  });

  it('fire at 08:00 EST (13:00Z) the day after fall-back', () => {
    const lastSentAt = at('2026-11-01T13:00:00Z');
    expect(digestDue(ny({ now: at('2026-11-02T12:59:00Z'), lastSentAt })).due).toBe(false);
    expect(digestDue(ny({ now: at('2026-11-02T13:00:00Z'), lastSentAt })).due).toBe(true);
  });
});

describe('daily digest edge cases', () => {
  it('treat an unknown zone as UTC rather than failing the cycle', () => {
    const result = digestDue(daily({ timezone: 'Mars/Olympus', now: at('2026-11-28T08:00:00Z') }));

    expect(result).toEqual({ due: true, slot: 'daily:2026-11-28@UTC' });
  });

  it('treat a digest stamped after now (a replayed earlier --now) as already sent', () => {
    const result = digestDue(daily({ now: at('2026-11-27T23:30:00Z'), lastSentAt: at('2026-11-29T23:30:00Z') }));

    expect(result.due).toBe(false);
  });
});
