import type { Alert } from '../../lambda/core/domain/alert.ts';
import type { Subscriber } from '../../lambda/core/domain/subscriber.ts';
import { subscriberId } from '../../lambda/core/ids/subscriber-id.ts';

// Stored profiles and personal alerts as the manage page saves them, for tests that write them
// straight into a store.

const SAVED_AT = '2026-03-01T00:00:00.000Z';

/** An active alert saved at SAVED_AT; `extra` sets anything else (frequency, paused, ...). */
export const testAlert = (id: string, name: string, query: string, extra: Partial<Alert> = {}): Alert => ({
  id,
  name,
  query,
  paused: false,
  createdAt: SAVED_AT,
  updatedAt: SAVED_AT,
  ...extra,
});

/** An active API subscriber with these alerts, no topics, immediate, UTC; `extra` overrides any of it. */
export const testProfile = (email: string, alerts: Alert[], extra: Partial<Subscriber> = {}): Subscriber => ({
  id: subscriberId(email),
  email,
  topics: [],
  frequency: 'immediate',
  timezone: 'UTC',
  alerts,
  status: 'active',
  source: 'api',
  createdAt: SAVED_AT,
  updatedAt: SAVED_AT,
  ...extra,
});
