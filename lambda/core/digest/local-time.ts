/** Wall-clock fields of an instant in an IANA zone, read from the runtime's tz database (Intl). */
export interface LocalTime {
  /** `YYYY-MM-DD` */
  date: string;
  /** `HH:MM:SS`, 24-hour */
  time: string;
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A zone the runtime does not know (a stale stored subscriber, say) reads as UTC rather than throwing. */
export function knownZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

function formatterFor(zone: string): Intl.DateTimeFormat {
  const timeZone = knownZone(zone);
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function localTime(at: Date, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) parts[part.type] = part.value;
  const { year = '', month = '', day = '', minute = '', second = '' } = parts;
  // Some ICU versions print midnight as 24 even with h23.
  const hour = parts.hour === '24' ? '00' : (parts.hour ?? '');
  return { date: `${year}-${month}-${day}`, time: `${hour}:${minute}:${second}`, year, month, day, hour, minute };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * `28 Nov 2026, 13:45 GMT+9`: built from parts so it reads the same whatever the runtime locale.
 * The zone label is the en-US short name: US abbreviations (EST, PDT), `UTC`, else a GMT offset,
 * which is unambiguous where abbreviations are not.
 */
export function formatLocalDateTime(at: Date, zone: string): string {
  const timeZone = knownZone(zone);
  const local = localTime(at, timeZone);
  const label =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
  const month = MONTHS[Number(local.month) - 1] ?? local.month;
  return `${Number(local.day)} ${month} ${local.year}, ${local.hour}:${local.minute} ${label}`;
}
