import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addAlert, removeAlert, setAlertPaused, updateAlert } from '../../../lambda/core/alerts/alert-changes.ts';
import { isAlertId, newAlertId } from '../../../lambda/core/alerts/alert-id.ts';
import { checkAlert, queryProblem } from '../../../lambda/core/alerts/alert-input.ts';

const LIMITS = { maxQueryLength: 500 };
const T0 = new Date('2026-03-02T09:00:00Z');
const T1 = new Date('2026-03-02T10:00:00Z');

describe('checking an alert before it is saved', () => {
  it('accepts a name and a query, trimmed, with the subscriber frequency when none is chosen', () => {
    expect(checkAlert({ name: '  JAXA intrusions ', query: ' JAXA AND (intrusion OR breach) ', frequency: '' }, LIMITS)).toEqual({
      ok: true,
      value: { name: 'JAXA intrusions', query: 'JAXA AND (intrusion OR breach)' },
    });
    expect(checkAlert({ name: 'n', query: 'x', frequency: 'hourly' }, LIMITS)).toEqual({ ok: true, value: { name: 'n', query: 'x', frequency: 'hourly' } });
  });

  it('reports a query that does not parse with the position and reason newshound match prints', () => {
    expect(queryProblem('JAXA AND', 500)).toEqual({ field: 'query', position: 8, message: 'the query does not parse: at 8: expected a term after "AND"' });
    expect(queryProblem('(a OR b', 500)).toEqual({ field: 'query', position: 7, message: 'the query does not parse: at 7: expected ")"' });
  });

  it('refuses a query that would match stories holding none of its terms', () => {
    expect(queryProblem('-JAXA', 500)?.message).toBe(
      'the query does not parse: at 0: the query matches items that contain none of its terms (e.g. "-a" or "a OR -b"); add a term that must be present',
    );
  });

  it('refuses a query over the length limit, counted without surrounding spaces', () => {
    const long = 'a '.repeat(250).trim(); // 499 characters
    expect(queryProblem(`  ${long}  `, 499)).toBeUndefined();
    expect(queryProblem(`${long} b`, 499)).toEqual({ field: 'query', message: 'the query is 501 characters long; at most 499 are allowed' });
  });

  it('refuses control and bidi characters in a query, naming where', () => {
    expect(queryProblem('JAXA\r\nBcc', 500)).toEqual({ field: 'query', position: 4, message: 'the query holds a control character at 4' });
    expect(queryProblem('a \u202e b', 500)?.position).toBe(2);
  });

  it('refuses an empty, overlong or control-holding name, and an unknown frequency, each with its field', () => {
    const result = checkAlert({ name: '   ', query: 'JAXA', frequency: 'weekly' }, LIMITS);
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'name', message: 'give the alert a name' },
        { field: 'frequency', message: 'choose how often from the list' },
      ],
    });
    expect(checkAlert({ name: 'x'.repeat(101), query: 'JAXA', frequency: '' }, LIMITS)).toMatchObject({ ok: false, errors: [{ field: 'name' }] });
    expect(checkAlert({ name: '宇'.repeat(100), query: 'JAXA', frequency: '' }, LIMITS).ok).toBe(true);
    expect(checkAlert({ name: 'a\nb', query: 'JAXA', frequency: '' }, LIMITS)).toMatchObject({ ok: false, errors: [{ field: 'name', message: 'the name holds a control character' }] });
  });
});

describe('alert ids', () => {
  it('are 10 characters of a-z0-9 drawn from the random source, never one already taken', () => {
    const ids = Array.from({ length: 200 }, () => newAlertId(randomBytes));
    expect(ids.every(isAlertId)).toBe(true);
    expect(new Set(ids).size).toBe(200);
    // A source that repeats itself: the taken id is drawn again until a free one comes.
    const draws = [new Uint8Array(20).fill(0), new Uint8Array(20).fill(1)];
    expect(newAlertId(() => draws.shift() ?? new Uint8Array(20).fill(2), new Set(['aaaaaaaaaa']))).toBe('bbbbbbbbbb');
  });

  it('drop bytes that would make some characters likelier than others', () => {
    const bytes = [new Uint8Array([252, 253, 254, 255, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 0, 0, 0, 0, 0, 0])];
    expect(newAlertId(() => bytes.shift() ?? new Uint8Array(20))).toBe('abcdefghij');
  });
});

describe('changing a subscriber own alert list', () => {
  const first = addAlert([], { name: 'One', query: 'JAXA' }, 'aaaaaaaaaa', T0, 2)!;

  it('adds an active alert at the end, and refuses once the list holds the maximum', () => {
    const two = addAlert(first, { name: 'Two', query: 'Tick', frequency: 'daily' }, 'bbbbbbbbbb', T0, 2)!;
    expect(two.map((a) => [a.id, a.name, a.frequency, a.paused])).toEqual([
      ['aaaaaaaaaa', 'One', undefined, false],
      ['bbbbbbbbbb', 'Two', 'daily', false],
    ]);
    expect(addAlert(two, { name: 'Three', query: 'x' }, 'cccccccccc', T0, 2)).toBeUndefined();
  });

  it('edits, pauses and removes only an alert of this list', () => {
    const edited = updateAlert(setAlertPaused(first, 'aaaaaaaaaa', true, T0)!, 'aaaaaaaaaa', { name: 'Renamed', query: 'JAXA OR ISAS' }, T1)!;
    expect(edited[0]).toEqual({ id: 'aaaaaaaaaa', name: 'Renamed', query: 'JAXA OR ISAS', paused: true, createdAt: T0.toISOString(), updatedAt: T1.toISOString() });
    const daily = updateAlert(first, 'aaaaaaaaaa', { name: 'One', query: 'JAXA', frequency: 'daily' }, T1)!;
    expect(updateAlert(daily, 'aaaaaaaaaa', { name: 'One', query: 'JAXA' }, T1)![0]).not.toHaveProperty('frequency');
    expect(removeAlert(first, 'aaaaaaaaaa')).toEqual([]);
    for (const change of [
      updateAlert(first, 'zzzzzzzzzz', { name: 'x', query: 'x' }, T1),
      setAlertPaused(first, 'zzzzzzzzzz', true, T1),
      removeAlert(first, 'zzzzzzzzzz'),
    ]) {
      expect(change).toBeUndefined();
    }
  });
});
