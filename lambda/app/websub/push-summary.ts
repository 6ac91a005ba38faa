import type { PushState } from '../../core/domain/push-state.ts';

/**
 * A feed's push subscription in a few words for `newshound feeds` (docs/cli.md): `active until
 * 2026-12-12 08:00Z`, `pending`, `failed (hub answered 500)`, `unsubscribing`; undefined without one.
 */
export function pushSummary(push: PushState | undefined, now: Date): string | undefined {
  if (!push) return undefined;
  switch (push.state) {
    case 'active': {
      const ends = push.leaseEndsAt ?? '';
      const until = `${ends.slice(0, 16).replace('T', ' ')}Z`;
      if (Date.parse(ends) <= now.getTime()) return `lease ended ${until}`;
      return `active until ${until}${push.reason ? ` (${push.reason})` : ''}`;
    }
    case 'failed':
      return `failed (${push.reason ?? 'no reason given'})`;
    case 'pending':
    case 'unsubscribing':
      return push.state;
  }
}
