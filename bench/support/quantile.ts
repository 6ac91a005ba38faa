/** The q-quantile (0..1) of ascending values by the floor rank; 0 when there are none. */
export const quantile = (sorted: readonly number[], q: number): number =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);
