import type { z } from 'zod';

// A handler invoked with something other than what its trigger sends is a wiring mistake (a manual
// test invocation, a changed event source): it throws, so the Errors alarm says so, and the error
// names the function and the first mismatch without echoing the event (it may hold addresses).

/** Thrown when an event does not have the shape the function's trigger sends. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  constructor(
    readonly expected: string,
    readonly issue: string,
  ) {
    super(`not ${expected}: ${issue}`);
  }
}

/** The parsed event, or InvalidEventError naming what was expected and where it differs. */
export function parseEvent<S extends z.ZodType>(schema: S, event: unknown, expected: string): z.output<S> {
  const parsed = schema.safeParse(event);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  throw new InvalidEventError(expected, `${where}${first?.message ?? 'invalid'}`);
}
