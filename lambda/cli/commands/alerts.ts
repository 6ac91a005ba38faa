import { loadConfigFile } from '../../adapters/config/load-config.ts';
import { openStore } from '../../adapters/dynamodb/open-store.ts';
import { countNoun } from '../../app/count-noun.ts';
import { saveSubscriber } from '../../app/subscriber-changes.ts';
import type { Config } from '../../core/config/schema.ts';
import { ALERT_TOPIC_PREFIX, type Alert } from '../../core/domain/alert.ts';
import type { Subscriber } from '../../core/domain/subscriber.ts';
import { singleLine } from '../../core/digest/safe-text.ts';
import { subscriberId } from '../../core/ids/subscriber-id.ts';
import { matcherTopics } from '../../core/query/matcher-topics.ts';
import { parseQuery } from '../../core/query/parse-query.ts';
import { QueryError } from '../../core/query/query-error.ts';
import type { Store } from '../../core/ports/store.ts';
import { EXIT_FATAL, EXIT_OK, type CliIo } from '../io.ts';

// `newshound alerts list|remove`: the operator's view of the personal alerts subscribers keep in
// their own profiles (docs/cli.md, "Personal alerts"). Names and queries are the subscribers' own
// text, so every cell is printed as one line with control and bidi characters neutralised.

export interface AlertsCliOptions {
  config: string;
  data: string;
}

async function withStore<T>(options: AlertsCliOptions, io: CliIo, work: (store: Store) => Promise<T>): Promise<T> {
  const opened = await openStore({ dataDir: options.data, env: io.env });
  try {
    return await work(opened.store);
  } finally {
    await opened.close();
  }
}

const byEmail = (a: Subscriber, b: Subscriber) => a.email.toLowerCase().localeCompare(b.email.toLowerCase());

/** An alert with no frequency of its own follows its subscriber's, shown so. */
const frequencyOf = (alert: Alert, owner: Subscriber): string => alert.frequency ?? `${owner.frequency} (default)`;

/**
 * The alerts of one profile the matcher leaves out, and why, decided as the matcher decides
 * (matcherTopics: beyond alerts.maxQueryLength or alerts.maxPerSubscriber of the config in force;
 * then a query that no longer parses).
 */
function skippedAlerts(config: Config, owner: Subscriber): Map<string, string> {
  const { topics, skipped } = matcherTopics(config, [owner]);
  const reasons = new Map(skipped.map((s) => [s.alertId, s.reason]));
  for (const topic of topics) {
    if (!topic.id.startsWith(ALERT_TOPIC_PREFIX)) continue;
    try {
      parseQuery(topic.query);
    } catch (err) {
      if (!(err instanceof QueryError)) throw err;
      reasons.set(topic.id.slice(ALERT_TOPIC_PREFIX.length), `query does not parse: at ${err.position}: ${err.reason}`);
    }
  }
  return reasons;
}

export async function listAlertsCommand(options: AlertsCliOptions & { email?: string }, io: CliIo): Promise<number> {
  const config = loadConfigFile(options.config);
  return withStore(options, io, async (store) => {
    let owners: Subscriber[];
    if (options.email !== undefined) {
      const one = await store.getSubscriber(subscriberId(options.email));
      if (!one) {
        io.stderr(`newshound alerts list: no stored subscriber ${singleLine(options.email)}`);
        return EXIT_FATAL;
      }
      owners = [one];
    } else {
      owners = (await store.listSubscribers()).sort(byEmail);
    }
    const problems: string[] = [];
    const rows = owners.flatMap((owner) => {
      const skipped = skippedAlerts(config, owner);
      return (owner.alerts ?? []).map((alert) => {
        const problem = skipped.get(alert.id);
        if (problem) problems.push(`${alert.id}: ${problem}`);
        const state = alert.paused ? 'paused' : problem ? 'skipped' : 'active';
        return [alert.id, owner.email, alert.name, alert.query, frequencyOf(alert, owner), state].map(singleLine);
      });
    });
    if (rows.length === 0) {
      io.stdout(options.email !== undefined ? `No alerts for ${singleLine(owners[0]!.email)}.` : 'No alerts (no subscriber has written one).');
      return EXIT_OK;
    }
    const header = ['ID', 'EMAIL', 'NAME', 'QUERY', 'FREQUENCY', 'STATE'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const row of [header, ...rows]) io.stdout(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
    const states = new Map<string, number>();
    for (const row of rows) states.set(row[5]!, (states.get(row[5]!) ?? 0) + 1);
    const subscribers = owners.filter((o) => (o.alerts ?? []).length > 0).length;
    io.stdout(`${countNoun(rows.length, 'alert')} of ${countNoun(subscribers, 'subscriber')}: ${[...states].map(([state, n]) => `${n} ${state}`).join(', ')}`);
    // The matcher leaves these out (with a log line); said here so the operator can see why.
    for (const problem of problems) io.stdout(`skipped ${singleLine(problem)}`);
    return EXIT_OK;
  });
}

/**
 * Removes one alert from whichever profile holds it. Written as a whole profile through
 * saveSubscriber, like every other subscriber change, so the live-config counter moves and the
 * matcher drops the alert at the workers' next batch; its pending hits are not mailed
 * (docs/subscriptions.md).
 */
export async function removeAlertCommand(id: string, options: AlertsCliOptions, io: CliIo): Promise<number> {
  return withStore(options, io, async (store) => {
    const owner = (await store.listSubscribers()).find((s) => (s.alerts ?? []).some((a) => a.id === id));
    const alert = owner?.alerts?.find((a) => a.id === id);
    if (!owner || !alert) {
      io.stderr(`newshound alerts remove: no alert ${JSON.stringify(singleLine(id))} (see newshound alerts list)`);
      return EXIT_FATAL;
    }
    const alerts = (owner.alerts ?? []).filter((a) => a.id !== id);
    await saveSubscriber(store, { ...owner, alerts, updatedAt: new Date().toISOString() });
    io.stdout(`Removed alert ${alert.id} "${singleLine(alert.name)}" of ${singleLine(owner.email)}; ${countNoun(alerts.length, 'alert')} left for that address.`);
    return EXIT_OK;
  });
}
