/** The zones offered in the time-zone select: the runtime's IANA list, with UTC first. */
export const TIME_ZONES: readonly string[] = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];

const KNOWN = new Set(TIME_ZONES);

/** True for a zone the select offers (so a valid choice always round-trips through the form). */
export function isOfferedTimeZone(zone: string): boolean {
  return KNOWN.has(zone);
}
