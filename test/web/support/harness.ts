import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoStore } from '../../../lambda/adapters/dynamodb/dynamo-store.ts';
import { openStore, type OpenedStore } from '../../../lambda/adapters/dynamodb/open-store.ts';
import { OutboxMailer } from '../../../lambda/adapters/mail/outbox-mailer.ts';
import { RecentStoryCache } from '../../../lambda/app/recent-story-cache.ts';
import { configSchema, type Config } from '../../../lambda/core/config/schema.ts';
import { subscriberId } from '../../../lambda/core/ids/subscriber-id.ts';
import type { Clock } from '../../../lambda/core/ports/clock.ts';
import type { Subscriber } from '../../../lambda/core/domain/subscriber.ts';
import type { Store } from '../../../lambda/core/ports/store.ts';
import { signToken, type TokenPayload } from '../../../lambda/core/tokens/signed-token.ts';
import { handleRequest } from '../../../lambda/web/handle-request.ts';
import type { WebResponse } from '../../../lambda/web/http-types.ts';
import type { WebDeps } from '../../../lambda/web/web-deps.ts';
import { newEmails, readOutbox, type Email } from '../../e2e/support/outbox.ts';

export const T0 = new Date('2026-03-02T09:00:00Z');
export const TOKEN_KEY = 'web-test-key';
export const PUBLIC_URL = 'https://alerts.example.test';

/** Listed in testConfig's subscribers (topic unit-61419, immediate, UTC). */
export const FILE_SUBSCRIBER = 'file@example.com';

/** Topic names hold HTML metacharacters on purpose: the pages must escape config text too. */
const testConfig: Config = configSchema.parse({
  feeds: [{ url: 'https://news.example/feed.xml' }],
  topics: [
    { id: 'jaxa', name: 'Attacks on JAXA & <ISAS>', query: 'JAXA' },
    { id: 'tick', name: 'Tick (BRONZE BUTLER)', query: '=Tick' },
    { id: 'unit-61419', name: 'PLA Unit 61419', query: '"Unit 61419"' },
  ],
  // An operator-listed address: the pages must work for it with no stored record.
  subscribers: [{ email: FILE_SUBSCRIBER, topics: ['unit-61419'] }],
  mail: { from: 'Newshound Alerts <alerts@example.com>', publicUrl: PUBLIC_URL },
});

interface MovableClock extends Clock {
  advanceHours(hours: number): void;
}

function movableClock(start: Date): MovableClock {
  let current = start.getTime();
  return { now: () => new Date(current), advanceHours: (h) => (current += h * 3_600_000) };
}

interface CallOptions {
  query?: Record<string, string>;
  body?: string | Buffer;
  contentType?: string | null;
  ip?: string;
}

/** handleRequest over a real embedded store (dynalite in a temp dir) and an outbox in a temp dir. */
export interface WebHarness {
  store: Store;
  clock: MovableClock;
  outbox: string;
  deps: WebDeps;
  call(method: string, path: string, options?: CallOptions): Promise<WebResponse>;
  /** POST a urlencoded form. */
  post(path: string, fields: Record<string, string | string[]>, options?: CallOptions): Promise<WebResponse>;
  subscribe(email: string, topics?: string[], options?: CallOptions): Promise<WebResponse>;
  emails(): Promise<Email[]>;
  /** Emails since the previous call of `newMail` (or since the start). */
  newMail(): Promise<Email[]>;
  subscriber(email: string): Promise<Subscriber | undefined>;
  token(payload: TokenPayload): string;
  /** Stores an active subscriber directly (as a confirmed one would be). */
  seed(email: string, overrides?: Partial<Subscriber>): Promise<Subscriber>;
  close(): Promise<void>;
}

export function form(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) params.append(name, v);
  return params.toString();
}

let ipSequence = 0;

export async function openHarness(limits?: WebDeps['limits']): Promise<WebHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'newshound-web-'));
  const clock = movableClock(T0);
  const opened: OpenedStore = await openStore({ dataDir: join(dir, 'data'), env: {}, clock });
  const store = new DynamoStore({ client: opened.client, tableName: opened.tableName, clock });
  const outbox = join(dir, 'outbox');
  const deps: WebDeps = {
    config: testConfig,
    store,
    mailer: new OutboxMailer(outbox),
    tokenKey: TOKEN_KEY,
    publicUrl: PUBLIC_URL,
    clock,
    // Read again at every preview, so a story put in the store shows at once.
    recentStories: new RecentStoryCache(store, clock, { minRefreshMs: 0 }),
    ...(limits ? { limits } : {}),
    onError: (error) => {
      throw error;
    },
  };
  // Each harness gets its own client address so per-IP limits of one test never touch another.
  ipSequence = (ipSequence % 250) + 1;
  const ip = `192.0.2.${ipSequence}`;
  let seen: Email[] = [];
  const call = (method: string, path: string, options: CallOptions = {}) =>
    handleRequest(
      {
        method,
        path,
        query: new URLSearchParams(options.query ?? {}),
        headers: options.contentType === null ? {} : { 'content-type': options.contentType ?? 'application/x-www-form-urlencoded' },
        body: options.body ?? '',
        sourceIp: options.ip ?? ip,
      },
      deps,
    );
  const harness: WebHarness = {
    store,
    clock,
    outbox,
    deps,
    call,
    post: (path, fields, options = {}) => call('POST', path, { ...options, body: form(fields) }),
    subscribe: (email, topics = ['jaxa', 'tick'], options = {}) =>
      harness.post('/subscribe', { email, topics, frequency: 'daily', timezone: 'Asia/Tokyo' }, options),
    emails: () => readOutbox(outbox),
    newMail: async () => {
      const fresh = await newEmails(outbox, seen);
      seen = [...seen, ...fresh];
      return fresh;
    },
    subscriber: (email) => store.getSubscriber(subscriberId(email)),
    token: (payload) => signToken(payload, TOKEN_KEY),
    seed: async (email, overrides = {}) => {
      const at = clock.now().toISOString();
      const subscriber: Subscriber = {
        id: subscriberId(email),
        email,
        topics: ['jaxa'],
        frequency: 'immediate',
        timezone: 'UTC',
        status: 'active',
        source: 'api',
        createdAt: at,
        updatedAt: at,
        ...overrides,
      };
      await store.putSubscriber(subscriber);
      return subscriber;
    },
    close: async () => {
      await opened.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** The token of the first `<path>?token=` link in an email's text part. */
export function linkToken(email: Email, path: '/confirm' | '/manage' | '/unsubscribe'): string {
  const match = new RegExp(`${path.replace('/', '\\/')}\\?token=([A-Za-z0-9_.-]+)`).exec(email.text);
  if (!match?.[1]) throw new Error(`no ${path} link in:\n${email.text}`);
  return match[1];
}
