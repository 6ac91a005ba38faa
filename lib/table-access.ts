import { FEEDS_PK, lockKey, recentStoryPk, SUBSCRIBERS_PK, SUPPRESSIONS_PK, versionKey } from '../lambda/adapters/dynamodb/keys.ts';
import { LIVE_CONFIG_VERSION } from '../lambda/core/ports/version-store.ts';

// Who may read and write what (IAM dynamodb:LeadingKeys; key shapes in
// lambda/adapters/dynamodb/keys.ts; docs/deploy.md, "Least privilege"). Only the api function may
// write subscriber profiles (pk SUBSCRIBERS); the bounce handler writes only suppressions; the
// dispatcher, the worker and the sender each read and write only the partitions their service uses.

/** The live-config change counter: bumped when subscribers or feeds change (VersionStore). */
export const LIVE_CONFIG_PK = versionKey(LIVE_CONFIG_VERSION).pk;

/**
 * What the live-config cache reads (lambda/app/live-config.ts): the change counter, and when it
 * moved, the feeds added at run time, the subscriber profiles and the suppressions.
 */
const LIVE_CONFIG_READS = [LIVE_CONFIG_PK, FEEDS_PK, SUBSCRIBERS_PK, SUPPRESSIONS_PK] as const;

/** The dispatcher reads feed states (seeding) and the live config; it writes only a new feed's first state. */
export const DISPATCH_READ_KEYS = ['FEED#*', ...LIVE_CONFIG_READS] as const;
export const DISPATCH_WRITE_KEYS = ['FEED#*'] as const;
export const DISPATCH_WRITE_ACTIONS = ['dynamodb:PutItem'] as const;

/**
 * The worker reads feed states (and push states beside them), stories (a story recorded by another
 * feed) and the live config; it writes feed and push states, stories and hits (`SUB#<id>`, which
 * `SUBSCRIBERS` does not match), all by conditional Put or Update, and deletes only an old callback
 * pointer (PUSH_POINTER_WRITE).
 */
export const WORKER_READ_KEYS = ['FEED#*', 'STORY#*', ...LIVE_CONFIG_READS] as const;
export const WORKER_WRITE_KEYS = ['FEED#*', 'STORY#*', 'SUB#*'] as const;
export const WORKER_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;

/**
 * Recent stories (one partition per day), the alert preview's week of matchable text: every
 * function that polls puts them (a plain PutItem, never read back there); the api function Queries
 * them for the preview and writes none.
 */
export const RECENT_STORY_KEYS = [recentStoryPk('*')] as const;
export const RECENT_STORY_WRITE = { access: ['dynamodb:PutItem'], leadingKeys: RECENT_STORY_KEYS } as const;
export const RECENT_STORY_READ = { access: ['dynamodb:Query'], leadingKeys: RECENT_STORY_KEYS } as const;

/**
 * WebSub (docs/feeds.md, "Push (WebSub)"): a feed's push state lives beside its polled state
 * (`FEED#<url>` / `PUSH`), and a callback id points at its feed (`PUSH#<id>`). IAM cannot tell the
 * sort keys of one partition apart, so the push state is reached through `FEED#*`.
 */
const PUSH_POINTER_KEYS = ['PUSH#*'] as const;
/**
 * The per-feed rate limit of pushes (lambda/app/websub/handle-callback.ts counts `websub#<url>`); a
 * counter key too long for a key part is hashed (lambda/adapters/dynamodb/keys.ts), hence the second.
 */
export const WEBSUB_COUNTER_KEYS = ['COUNTER#websub#*', 'COUNTER#~sha256:*'] as const;

/**
 * The WebSub callback reads what the poll path reads (feed states, stories, the live config) and
 * the callback pointer and push state; it writes a pushed body's results as a poll would (stories,
 * hits, the feed state's key hashes, by conditional Put or Update) and the feed's push state.
 */
export const WEBSUB_READ_KEYS = ['FEED#*', 'STORY#*', ...PUSH_POINTER_KEYS, ...LIVE_CONFIG_READS] as const;
export const WEBSUB_WRITE_KEYS = ['FEED#*', 'STORY#*', 'SUB#*'] as const;
export const WEBSUB_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;
/**
 * Every write of a push state puts its callback pointer too (lambda/adapters/dynamodb/push-states.ts);
 * a subscription given up, or a new one replacing it, deletes the old pointer. The worker (which
 * subscribes) and the WebSub function (which records verifications) both write push states.
 */
export const PUSH_POINTER_WRITE = { access: ['dynamodb:PutItem', 'dynamodb:DeleteItem'], leadingKeys: PUSH_POINTER_KEYS } as const;
/**
 * A verified unsubscription deletes the feed's push state: the WebSub function's only Delete on
 * `FEED#*`, where IAM could not keep it from the polled state beside it (the sort key is beyond
 * LeadingKeys); the service deletes only over the push state's version.
 */
export const WEBSUB_DELETE = { access: ['dynamodb:DeleteItem'], leadingKeys: ['FEED#*'] } as const;
export const WEBSUB_RATE_LIMIT = { access: ['dynamodb:UpdateItem'], leadingKeys: WEBSUB_COUNTER_KEYS } as const;

/** The sender's lease (lambda/app/send-due.ts): one sender at a time, whatever polls. */
export const SENDER_LOCK_PK = lockKey('sender').pk;
/**
 * The sender reads each subscriber's hits and digest ledger (and their pending index), the stories
 * it mails, its lease and the live config; it writes only the ledger, the hits' state and its lease.
 */
export const SENDER_READ_KEYS = ['SUB#*', 'STORY#*', SENDER_LOCK_PK, ...LIVE_CONFIG_READS] as const;
export const SENDER_WRITE_KEYS = ['SUB#*', SENDER_LOCK_PK] as const;
export const SENDER_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'] as const;

/**
 * Partitions the subscription API may write: the subscriber profiles, the rate-limit counters and
 * the consumed token nonces. Feed state, stories, hits, the digest ledger, the leases and the
 * suppressions stay out of its reach.
 */
export const API_LEADING_KEYS = [SUBSCRIBERS_PK, 'COUNTER#*', 'NONCE#*'] as const;
export const API_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
] as const;
/** The API reads suppressions (a bounced address is never mailed, not even a confirmation). */
export const API_SUPPRESSION_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query'] as const;

/** The ses-events handler checks and records suppressions, nothing else. */
export const SES_EVENTS_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem'] as const;
export const SES_EVENTS_LEADING_KEYS = [SUPPRESSIONS_PK] as const;

/**
 * The api and ses-events functions change who is mailed: they bump the live-config counter
 * (an atomic ADD, one UpdateItem) so the caches of the poll side re-read the lists.
 */
export const BUMP_LIVE_CONFIG = { access: ['dynamodb:UpdateItem'], leadingKeys: [LIVE_CONFIG_PK] } as const;
