/** `45 min`, `2 h`, `1.5 h`, `3 d`: short enough for a column of `newshound feeds`. */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${Math.max(0, Math.round(minutes))} min`;
  if (minutes < 48 * 60) return `${oneDecimal(minutes / 60)} h`;
  return `${oneDecimal(minutes / 1440)} d`;
}

function oneDecimal(n: number): string {
  return String(Math.round(n * 10) / 10);
}
