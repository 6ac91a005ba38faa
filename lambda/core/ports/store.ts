import type { AbuseGuard } from './abuse-guard.ts';
import type { FeedRegistry } from './feed-registry.ts';
import type { FeedStore } from './feed-store.ts';
import type { VersionStore } from './version-store.ts';
import type { HitLedger } from './hit-ledger.ts';
import type { LockStore } from './lock-store.ts';
import type { PushStore } from './push-store.ts';
import type { RecentStoryReader, RecentStoryWriter } from './recent-stories.ts';
import type { SubscriberReader, SubscriberStore } from './subscriber-store.ts';
import type { SuppressionReader, SuppressionStore } from './suppression-store.ts';

// The persistence ports, one per role, as the deployed IAM policies split them (docs/deploy.md,
// "Least privilege"): each service and handler asks for exactly the roles it uses. One DynamoDB
// table implements them all (the embedded engine, DynamoDB Local and AWS), and an in-memory store
// does too for tests of the services; the same contract suite checks both. Every method is a small
// number of single-item requests or one batch/query: no transactions (dynalite has none),
// conditional writes for every "at most once" rule, and `expiresAt` (epoch seconds) filtered on read
// because TTL deletes lazily.

/** Everything: what an adapter implements. */
export type Store = FeedStore & FeedRegistry & HitLedger & SubscriberStore & SuppressionStore & AbuseGuard & LockStore & VersionStore & RecentStoryWriter & RecentStoryReader & PushStore;

/** What one cycle uses: it reads subscribers and suppressions and never writes them. */
export type CycleStore = FeedStore & Pick<FeedRegistry, 'listStoredFeeds'> & HitLedger & LockStore & SubscriberReader & SuppressionReader & Pick<VersionStore, 'getVersion'> & RecentStoryWriter;

/** What the subscription pages use (the recent stories for an alert's preview). */
export type WebStore = SubscriberStore & SuppressionReader & AbuseGuard & Pick<VersionStore, 'bumpVersion'> & RecentStoryReader;
