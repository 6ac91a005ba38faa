import { MemoryQueue } from '../../adapters/queue/memory-queue.ts';
import type { CycleLog } from '../../app/cycle-log.ts';
import { Dispatcher } from '../../app/dispatch-due.ts';
import { LiveConfigCache } from '../../app/live-config.ts';
import { pollOneFeed, type WorkerDeps } from '../../app/poll-one-feed.ts';
import { sendDue } from '../../app/send-due.ts';
import { singleLine } from '../../core/digest/safe-text.ts';
import { systemClock, type Clock } from '../../core/ports/clock.ts';
import { RecentStoryCache } from '../../app/recent-story-cache.ts';
import { startWebServer } from '../../web/node-server.ts';
import { EXIT_CONFIG, EXIT_OK, EXIT_UNAVAILABLE, type CliIo } from '../io.ts';
import { listenProblem, parsePort } from '../listen.ts';
import { openLocalCycle } from '../local-cycle.ts';
import { localCallbackRoute, localPushDeps } from '../local-push.ts';
import { prepareCycle, UsageError, type CycleCliOptions } from './cycle-options.ts';

export interface UpCliOptions extends CycleCliOptions {
  port: string;
  host: string;
  /** false for `watch`: the same services without the pages. */
  pages: boolean;
  /** Seconds between dispatches and between sender runs (default 60). */
  tick: string;
}

/**
 * `newshound up`: the deployed system in one local process (README, "One process for everything"):
 * every tick the dispatcher queues the feeds that are due, `fetch.concurrency` workers poll them from
 * an in-memory queue with SQS's redelivery, the sender mails every digest that is due, and the
 * subscription pages are served. Other commands (`feeds`, `subscribers`, `run`, `check`) keep working
 * beside it: they use this process's store. Stops after the work in hand on SIGINT/SIGTERM.
 */
export async function upCommand(options: UpCliOptions, io: CliIo, stopSignal?: AbortSignal): Promise<number> {
  const name = options.pages ? 'up' : 'watch';
  let port = 0;
  let tickMs: number;
  try {
    if (options.pages) port = parsePort(options.port);
    tickMs = parseTick(options.tick);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`newshound ${name}: ${err.message}`);
    return EXIT_CONFIG;
  }
  const prepared = prepareCycle(name, options, io);
  if (typeof prepared === 'number') return prepared;
  const { now: start, mail, config } = prepared;
  const clock = start ? offsetClock(start) : systemClock;
  const log: CycleLog = {
    info: () => undefined,
    warn: (message, fields) => io.stderr(`newshound ${name}: ${message}${fields ? ` ${singleLine(JSON.stringify(fields))}` : ''}`),
    error: (message, fields) => io.stderr(`newshound ${name}: ${message}${fields ? ` ${singleLine(JSON.stringify(fields))}` : ''}`),
  };

  const local = await openLocalCycle({ config, dataDir: options.data, outboxDir: options.outbox, mail, clock, env: io.env, log });
  const { deps } = local;
  const live = new LiveConfigCache(deps.store, config, { checkEveryMs: tickMs, log });
  // A job whose worker died (or whose feed hit a store error) comes back after this long, as in SQS.
  const queue = new MemoryQueue({ visibilityMs: (config.fetch.timeoutSeconds * 1000 + 5_000) * 3, maxReceiveCount: 5 });
  const visibilityMs = (config.fetch.timeoutSeconds * 1000 + 5_000) * 3;
  const dispatcher = new Dispatcher({ store: deps.store, queue, live, clock, log, requeueAfterMs: visibilityMs });
  // Push needs the pages' server to receive the hubs' calls, so `watch` never subscribes.
  const push = options.pages ? localPushDeps(config, local.store, clock, log) : undefined;
  const worker: WorkerDeps = { store: deps.store, fetcher: deps.fetcher, config, live, clock, log, ...(push ? { push } : {}) };

  /** When the last poll or push recorded hits not yet handed to the sender (0: none). */
  let hitsAt = 0;
  let server: Awaited<ReturnType<typeof startWebServer>> | undefined;
  if (options.pages) {
    try {
      server = await startWebServer(
        (url) => ({
          config,
          store: local.store,
          mailer: deps.mailer,
          tokenKey: deps.tokenKey,
          publicUrl: (config.mail.publicUrl ?? url).replace(/\/+$/, ''),
          clock: systemClock,
          recentStories: new RecentStoryCache(local.store, systemClock),
          onError: (error) => io.stderr(`newshound up: ${(error as Error).stack ?? String(error)}`),
        }),
        { port, host: options.host, websub: localCallbackRoute(worker, local.store, (r) => {
          if (r.hits > 0) hitsAt = Date.now();
          if (r.new > 0) io.stdout(`${singleLine(r.name)}: pushed, ${r.new} new, ${r.matched} matched, ${r.hits} hits`);
        }) },
      );
    } catch (err) {
      const problem = listenProblem(err, options.host, port);
      await local.close();
      if (!problem) throw err;
      io.stderr(`newshound up: ${problem}`);
      return EXIT_UNAVAILABLE;
    }
  }

  let stopping = false;
  let wake: (() => void) | undefined;
  const stop = (signal: string) => {
    if (!stopping) io.stderr(`newshound ${name}: ${signal} received; stopping after the work in hand`);
    stopping = true;
    wake?.();
  };
  const onInt = () => stop('SIGINT');
  const onTerm = () => stop('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  stopSignal?.addEventListener('abort', () => stop('stop'), { once: true });
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const pagesLine = server ? `, pages at ${server.url}/` : '';
  io.stdout(`Newshound ${name}: dispatching due feeds and sending due digests every ${tickMs / 1000} s with ${config.fetch.concurrency} workers${pagesLine}; Ctrl-C to stop.`);
  if (push) io.stdout(`Push (WebSub): feeds that name a hub are subscribed; hubs call back at ${push.callbackBase}/<id>.`);

  const work = async () => {
    while (!stopping) {
      const [delivery] = queue.receive(1);
      if (!delivery) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      try {
        const outcome = await pollOneFeed(worker, delivery.job);
        queue.ack(delivery.id);
        if ('polled' in outcome) {
          const r = outcome.polled;
          if (r.hits > 0) hitsAt = Date.now();
          if (r.error || r.new > 0) io.stdout(`${singleLine(r.name)}: ${r.error ? singleLine(r.error) : `${r.status}, ${r.new} new, ${r.matched} matched, ${r.hits} hits`}`);
        }
      } catch (err) {
        // Not acknowledged: delivered again after the visibility timeout.
        io.stderr(`newshound ${name}: ${delivery.job.feedUrl}: ${(err as Error).message}; retried later`);
      }
    }
  };
  // One send at a time in this process (the sender lease would refuse a second one anyway).
  let sending: Promise<void> = Promise.resolve();
  const send = (): Promise<void> => {
    // A failed send was reported by its caller; the next one still runs.
    sending = sending.catch(() => undefined).then(async () => {
      const sent = await sendDue({ store: deps.store, mailer: deps.mailer, config, clock, tokenKey: deps.tokenKey, log, live, ...(deps.processProbe ? { processProbe: deps.processProbe } : {}), ...(server ? { publicUrl: config.mail.publicUrl ?? server.url } : {}) });
      for (const email of sent.emails) io.stdout(`Sent ${email.items} ${email.items === 1 ? 'story' : 'stories'} to ${email.to} (${email.messageId}).`);
      for (const failure of sent.sendFailures) io.stderr(`newshound ${name}: send to ${failure.to} failed: ${singleLine(failure.error)}; retried next tick`);
    });
    return sending;
  };
  // Immediate digests do not wait for the next tick: once polls or pushes have recorded hits and
  // SEND_SETTLE_MS passed without more (a burst of feeds makes one email, not one per feed), the
  // sender runs (README, "Freshness").
  const sendSoon = async () => {
    while (!stopping) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (hitsAt === 0 || Date.now() - hitsAt < SEND_SETTLE_MS) continue;
      hitsAt = 0;
      try {
        await send();
      } catch (err) {
        io.stderr(`newshound ${name}: ${(err as Error).message}; trying again next tick`);
      }
    }
  };
  const tick = async () => {
    while (!stopping) {
      try {
        const { dispatched, seeded } = await dispatcher.dispatch();
        if (dispatched > 0) io.stdout(`Dispatched ${dispatched} due feed${dispatched === 1 ? '' : 's'}${seeded ? ` (${seeded} new)` : ''}.`);
        await send();
      } catch (err) {
        io.stderr(`newshound ${name}: ${(err as Error).message}; trying again next tick`);
      }
      if (!stopping) await pause(tickMs);
    }
  };

  try {
    await Promise.all([tick(), sendSoon(), ...Array.from({ length: config.fetch.concurrency }, work)]);
    // The work in hand includes mailing what the last polls found: hits are not left for next time.
    await send();
    return EXIT_OK;
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    await server?.close();
    await local.close();
  }
}

function parseTick(value: string): number {
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || seconds < 1 || seconds > 3600) throw new UsageError(`--tick must be whole seconds from 1 to 3600, got ${JSON.stringify(value)}`);
  return seconds * 1000;
}

/** Quiet time after the last recorded hit before the sender runs early: one email per burst. */
const SEND_SETTLE_MS = 3_000;

/** A clock that starts at `start` and advances in real time. */
function offsetClock(start: Date): Clock {
  const offset = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}
