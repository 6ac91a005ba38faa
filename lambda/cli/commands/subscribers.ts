import { openStore } from '../../adapters/dynamodb/open-store.ts';
import { countNoun } from '../../app/count-noun.ts';
import { loadSubscribers } from '../../app/load-subscribers.ts';
import { loadConfigFile } from '../../adapters/config/load-config.ts';
import { frequencies, type Config, type Frequency } from '../../core/config/schema.ts';
import { effectiveSubscriber, isSuppressed } from '../../core/cycle/effective-subscribers.ts';
import { subscriberId } from '../../core/ids/subscriber-id.ts';
import type { Subscriber } from '../../core/domain/subscriber.ts';
import type { Store } from '../../core/ports/store.ts';
import { isOfferedTimeZone } from '../../web/forms/time-zones.ts';
import { EXIT_CONFIG, EXIT_FATAL, EXIT_OK, type CliIo } from '../io.ts';
import { deleteSubscriber, saveSubscriber } from '../../app/subscriber-changes.ts';

// `newshound subscribers list|add|remove|export`: the operator's view of the configured store
// (the embedded engine under --data, or NEWSHOUND_TABLE) merged with the config file's subscribers,
// as the cycle sees them. Precedence: docs/subscriptions.md.

export interface SubscribersCliOptions {
  config: string;
  data: string;
}

async function withStore<T>(options: SubscribersCliOptions, io: CliIo, work: (store: Store) => Promise<T>): Promise<T> {
  const opened = await openStore({ dataDir: options.data, env: io.env });
  try {
    return await work(opened.store);
  } finally {
    await opened.close();
  }
}

const byEmail = (a: { email: string }, b: { email: string }) => a.email.toLowerCase().localeCompare(b.email.toLowerCase());

/** A subscriber as listed; a config-file address with no stored record has no dates. */
type ListedSubscriber = Omit<Subscriber, 'createdAt' | 'updatedAt'> & { createdAt?: string; updatedAt?: string };

/**
 * Config-file and stored subscribers merged, suppressed ones marked `suppressed`. A config-file
 * address that never acted has no stored record, so nothing dates it: its dates are left out rather
 * than stamped with the time of each command (docs/subscriptions.md, "Operator commands").
 */
async function everySubscriber(options: SubscribersCliOptions, io: CliIo): Promise<ListedSubscriber[]> {
  const config = loadConfigFile(options.config);
  return withStore(options, io, async (store) => {
    const [merged, stored] = await Promise.all([loadSubscribers(store, config.subscribers, new Date()), store.listSubscribers()]);
    const storedById = new Map(stored.map((s) => [s.id, s]));
    return merged.map((s) => {
      const record = storedById.get(s.id);
      // Personal alerts live in the stored profile only; shown whichever side owns the settings.
      if (record) return record.alerts?.length && !s.alerts ? { ...s, alerts: record.alerts } : s;
      const { createdAt: _created, updatedAt: _updated, ...undated } = s;
      return undated;
    });
  });
}

/** One address as the cycle sees it, with its stored record and whether it is suppressed. */
async function oneSubscriber(store: Store, config: Config, id: string) {
  const [stored, suppression] = await Promise.all([store.getSubscriber(id), store.getSuppression(id)]);
  const subscriber = effectiveSubscriber(id, { configured: config.subscribers, stored, suppression, now: new Date() });
  const listed = config.subscribers.some((c) => subscriberId(c.email) === id);
  return { stored, subscriber, suppressed: isSuppressed(subscriber, suppression), listed };
}

export async function listSubscribersCommand(options: SubscribersCliOptions, io: CliIo): Promise<number> {
  const subscribers = await everySubscriber(options, io);
  if (subscribers.length === 0) {
    io.stdout(`No subscribers (none in ${options.config}, none in the store).`);
    return EXIT_OK;
  }
  const rows = subscribers.sort(byEmail).map((s) => [s.email, s.status, s.source, s.frequency, s.timezone, s.topics.join(',')]);
  const header = ['EMAIL', 'STATUS', 'SOURCE', 'FREQUENCY', 'TIMEZONE', 'TOPICS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows]) io.stdout(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
  const counts = countByStatus(subscribers);
  io.stdout(`${countNoun(subscribers.length, 'subscriber')}: ${counts}`);
  return EXIT_OK;
}

function countByStatus(subscribers: readonly ListedSubscriber[]): string {
  const counts = new Map<string, number>();
  for (const s of subscribers) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
}

export async function exportSubscribersCommand(options: SubscribersCliOptions & { format: string }, io: CliIo): Promise<number> {
  if (options.format !== 'csv' && options.format !== 'jsonl') {
    io.stderr(`newshound subscribers export: --format must be csv or jsonl, got ${JSON.stringify(options.format)}`);
    return EXIT_CONFIG;
  }
  const subscribers = (await everySubscriber(options, io)).sort(byEmail);
  if (options.format === 'jsonl') {
    for (const s of subscribers) io.stdout(JSON.stringify(s));
    return EXIT_OK;
  }
  const columns = ['email', 'status', 'source', 'frequency', 'timezone', 'topics', 'alerts', 'createdAt', 'updatedAt', 'suppressedReason'] as const;
  io.stdout(columns.join(','));
  for (const s of subscribers) {
    const cell = (c: (typeof columns)[number]): string => (c === 'topics' ? s.topics.join(' ') : c === 'alerts' ? alertsCell(s.alerts) : (s[c] ?? ''));
    io.stdout(columns.map((c) => csvCell(cell(c))).join(','));
  }
  return EXIT_OK;
}

/**
 * A subscriber's personal alerts in one cell, as a JSON array (id, name, query, frequency when it
 * has its own, paused): a query may hold any character, so only JSON keeps it whole. Empty when
 * there are none.
 */
function alertsCell(alerts: Subscriber['alerts']): string {
  if (!alerts?.length) return '';
  return JSON.stringify(alerts.map(({ id, name, query, frequency, paused }) => ({ id, name, query, ...(frequency ? { frequency } : {}), paused })));
}

/** RFC 4180 quoting, and a leading = + - @ neutralised so a spreadsheet never runs it as a formula. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export interface AddSubscriberOptions extends SubscribersCliOptions {
  topics: string;
  frequency: string;
  timezone: string;
  force?: boolean;
}

/** Adds (or updates) a subscriber as active: the operator's word replaces the double opt-in. */
export async function addSubscriberCommand(email: string, options: AddSubscriberOptions, io: CliIo): Promise<number> {
  const config = loadConfigFile(options.config);
  const problem = validateAdd(email, options, config);
  if (problem) {
    io.stderr(`newshound subscribers add: ${problem}`);
    return EXIT_CONFIG;
  }
  const topics = options.topics.split(',').map((t) => t.trim()).filter(Boolean);
  return withStore(options, io, async (store) => {
    const id = subscriberId(email);
    const { stored, subscriber: existing, suppressed, listed } = await oneSubscriber(store, config, id);
    if (listed && existing) {
      io.stderr(`newshound subscribers add: ${existing.email} is listed in ${options.config}; change it there (the file wins each cycle)`);
      return EXIT_FATAL;
    }
    if (suppressed) {
      // A suppression is SES's word that mail to the address bounces or is unwanted: no flag lifts it.
      io.stderr(`newshound subscribers add: ${email.trim()} is suppressed${existing?.suppressedReason ? ` (${existing.suppressedReason})` : ''}; it is never mailed again (docs/subscriptions.md).`);
      return EXIT_FATAL;
    }
    if (existing?.status === 'unsubscribed' && !options.force) {
      io.stderr(`newshound subscribers add: ${existing.email} is ${existing.status}${existing.suppressedReason ? ` (${existing.suppressedReason})` : ''}; the recipient's choice wins. Use --force only with their consent.`);
      return EXIT_FATAL;
    }
    const at = new Date().toISOString();
    const subscriber: Subscriber = {
      id,
      email: email.trim(),
      topics,
      frequency: options.frequency as Frequency,
      timezone: options.timezone,
      status: 'active',
      // `operator`: active on the operator's word. An address that confirmed itself stays `api`
      // when the operator only changes its settings: its own confirmation still stands.
      source: stored?.status === 'active' && stored.source === 'api' ? 'api' : 'operator',
      createdAt: stored?.createdAt ?? at,
      updatedAt: at,
    };
    await saveSubscriber(store, subscriber);
    io.stdout(`${stored ? 'Updated' : 'Added'} ${subscriber.email}: active, ${subscriber.frequency}, ${subscriber.timezone}, topics ${topics.join(', ')}`);
    return EXIT_OK;
  });
}

function validateAdd(email: string, options: AddSubscriberOptions, config: Config): string | undefined {
  if (!/^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/.test(email.trim()) || email.length > 254) return `not an email address: ${JSON.stringify(email)}`;
  const topics = options.topics.split(',').map((t) => t.trim()).filter(Boolean);
  if (topics.length === 0) return '--topics needs at least one topic id';
  const known = new Set(config.topics.map((t) => t.id));
  const unknown = topics.filter((t) => !known.has(t));
  if (unknown.length) return `unknown topic${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${[...known].join(', ')})`;
  if (!(frequencies as readonly string[]).includes(options.frequency)) return `--frequency must be one of ${frequencies.join(', ')}`;
  if (!isOfferedTimeZone(options.timezone)) return `--timezone is not an IANA time zone: ${options.timezone}`;
  return undefined;
}

/**
 * Default: marks the address unsubscribed, which sticks even when the config file lists it.
 * With --delete: forgets the stored record entirely (erasure); a config-file address stays
 * subscribed while the file lists it.
 */
export async function removeSubscriberCommand(email: string, options: SubscribersCliOptions & { delete?: boolean }, io: CliIo): Promise<number> {
  const config = loadConfigFile(options.config);
  return withStore(options, io, async (store) => {
    const { stored, subscriber: existing, suppressed, listed } = await oneSubscriber(store, config, subscriberId(email));
    if (options.delete) {
      if (!stored) {
        io.stderr(`newshound subscribers remove: no stored record of ${email}${listed ? `; it is listed in ${options.config}: remove it there` : ''}`);
        return EXIT_FATAL;
      }
      await deleteSubscriber(store, stored.id);
      io.stdout(`Deleted ${stored.email}.${listed ? ` It is listed in ${options.config}: it stays subscribed unless you remove it there.` : ''}`);
      return EXIT_OK;
    }
    if (!existing) {
      io.stderr(`newshound subscribers remove: no subscriber ${email}`);
      return EXIT_FATAL;
    }
    // For a config-file address this writes its first record: {source: 'config', unsubscribed}.
    if (!suppressed && existing.status !== 'unsubscribed') {
      await saveSubscriber(store, { ...existing, status: 'unsubscribed', updatedAt: new Date().toISOString() });
    }
    io.stdout(`${existing.email} is ${suppressed ? 'suppressed' : 'unsubscribed'}: no further digests.`);
    return EXIT_OK;
  });
}
