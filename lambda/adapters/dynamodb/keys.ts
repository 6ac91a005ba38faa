import { createHash } from 'node:crypto';
import type { Frequency } from '../../core/config/schema.ts';

// Key construction for the single table. Natural keys (feed URLs, story keys) can be long and
// arbitrary; DynamoDB allows 2048 bytes for a partition key and 1024 for a sort key, so a part
// longer than KEY_PART_MAX_BYTES is replaced by its sha256. The original always lives in an
// attribute, so nothing is lost. A raw part never starts with HASH_MARK (such parts are hashed
// too), which keeps the encoding injective.

const KEY_PART_MAX_BYTES = 500;
const HASH_MARK = '~sha256:';

function keyPart(value: string): string {
  if (Buffer.byteLength(value, 'utf8') <= KEY_PART_MAX_BYTES && !value.startsWith(HASH_MARK)) return value;
  return HASH_MARK + createHash('sha256').update(value, 'utf8').digest('hex');
}

export interface ItemKey {
  pk: string;
  sk: string;
}

export const feedStateKey = (feedUrl: string): ItemKey => ({ pk: `FEED#${keyPart(feedUrl)}`, sk: 'STATE' });

/** A feed's WebSub subscription, beside its polled state (docs/feeds.md, "Push (WebSub)"). */
export const pushStateKey = (feedUrl: string): ItemKey => ({ pk: `FEED#${keyPart(feedUrl)}`, sk: 'PUSH' });

/** A WebSub callback id → the feed it delivers for. */
export const pushCallbackKey = (callbackId: string): ItemKey => ({ pk: `PUSH#${keyPart(callbackId)}`, sk: 'PUSH' });

export const storyKey = (key: string): ItemKey => ({ pk: `STORY#${keyPart(key)}`, sk: 'STORY' });

/** All subscriber profiles share one item collection: listing them is one strongly consistent Query. */
export const SUBSCRIBERS_PK = 'SUBSCRIBERS';
export const subscriberKey = (id: string): ItemKey => ({ pk: SUBSCRIBERS_PK, sk: `SUB#${id}` });

/** Bounced and complaining addresses, apart from the profiles: only the bounce handler writes here. */
export const SUPPRESSIONS_PK = 'SUPPRESSIONS';
export const suppressionKey = (id: string): ItemKey => ({ pk: SUPPRESSIONS_PK, sk: `SUB#${id}` });

/** A subscriber's own partition (hits, digest ledger). Note `SUB#*` does not match `SUBSCRIBERS`. */
export const subscriberPk = (id: string): string => `SUB#${id}`;

export const hitKey = (subscriberId: string, key: string): ItemKey => ({
  pk: subscriberPk(subscriberId),
  sk: `HIT#${keyPart(key)}`,
});

/** Pending-index sort key: oldest first, then by story. */
const PENDING_PREFIX = 'PENDING#';
export const pendingSortKey = (createdAt: string, key: string): string => `${PENDING_PREFIX}${createdAt}#${keyPart(key)}`;

export const digestKey = (subscriberId: string, digestId: string): ItemKey => ({
  pk: subscriberPk(subscriberId),
  sk: `DIGEST#${keyPart(digestId)}`,
});

/** A copy of the newest sent digest, so lastSentDigest is one GetItem whatever the id format. */
export const lastDigestKey = (subscriberId: string): ItemKey => ({ pk: subscriberPk(subscriberId), sk: 'LASTDIGEST' });

/** The same copy per hourly/daily class: each class's schedule reads the last digest that carried it. */
export const lastDigestOfClassKey = (subscriberId: string, frequency: Frequency): ItemKey => ({ pk: subscriberPk(subscriberId), sk: `LASTDIGEST#${frequency}` });

export const lockKey = (name: string): ItemKey => ({ pk: `LOCK#${keyPart(name)}`, sk: 'LOCK' });

/** Subscription API: a rate-limit counter per key and window, and a consumed single-use token nonce. */
export const counterKey = (key: string, windowStart: number): ItemKey => ({ pk: `COUNTER#${keyPart(key)}`, sk: `WINDOW#${windowStart}` });

export const nonceKey = (nonce: string): ItemKey => ({ pk: `NONCE#${keyPart(nonce)}`, sk: 'NONCE' });

/** Feeds added or removed at run time (`newshound feeds add|remove`): one item collection, one Query. */
export const FEEDS_PK = 'FEEDS';
export const storedFeedKey = (url: string): ItemKey => ({ pk: FEEDS_PK, sk: `FEED#${keyPart(url)}` });

/**
 * A recent story (the alert preview's): one partition per UTC day of first sighting, so reading a
 * week is a few Queries, oldest first by `<firstSeenAt>#<story>`.
 */
export const recentStoryKey = (firstSeenAt: string, key: string): ItemKey => ({
  pk: recentStoryPk(firstSeenAt.slice(0, 10)),
  sk: `${firstSeenAt}#${keyPart(key)}`,
});

/** `day` is yyyy-mm-dd (UTC). */
export const recentStoryPk = (day: string): string => `RECENT#${day}`;

/** A named change counter (see VersionStore). */
export const versionKey = (name: string): ItemKey => ({ pk: `VERSION#${keyPart(name)}`, sk: 'VERSION' });

/** Due-index keys of a feed: its shard (from the URL) and `<nextDueAt>#<feed>`. */
export function dueIndexKeys(feedUrl: string, nextDueAt: string, shards: number): { duePk: string; dueSk: string } {
  const shard = createHash('sha256').update(feedUrl, 'utf8').digest().readUInt32BE(0) % shards;
  return { duePk: `DUE#${shard}`, dueSk: `${nextDueAt}#${keyPart(feedUrl)}` };
}
