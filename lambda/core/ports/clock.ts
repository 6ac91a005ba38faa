/** The time source for a cycle: `--now` fixes it for the whole cycle (item age, schedule, Date header). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at.getTime()) };
}
