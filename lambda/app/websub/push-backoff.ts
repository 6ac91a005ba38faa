/** Minutes before a failed subscription is tried again: 10, 20, 40, ... doubling per failure, at most a day. */
export function retryDelayMinutes(failures: number): number {
  return Math.min(24 * 60, 10 * 2 ** Math.min(Math.max(failures, 1) - 1, 20));
}
