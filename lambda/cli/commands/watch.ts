import { formatSummary } from '../../app/format-summary.ts';
import { openLocalCycle } from '../local-cycle.ts';
import { runCycle } from '../../app/run-cycle.ts';
import { systemClock, type Clock } from '../../core/ports/clock.ts';
import { EXIT_OK, type CliIo } from '../io.ts';
import { prepareCycle, type CycleCliOptions } from './cycle-options.ts';

/**
 * `newshound watch`: a cycle every `schedule.pollMinutes` until SIGINT/SIGTERM; a signal during a
 * cycle lets it finish (no half-recorded feed, no claimed-but-unsent digest). The config is read
 * once at start: restart after editing it. With --now, the clock starts there and runs in real time.
 */
export async function watchCommand(options: CycleCliOptions, io: CliIo): Promise<number> {
  const prepared = prepareCycle('watch', options, io);
  if (typeof prepared === 'number') return prepared;
  const { now: start, mail, config, matcher } = prepared;
  const clock = start ? offsetClock(start) : systemClock;
  const intervalMs = config.schedule.pollMinutes * 60_000;

  let stopping = false;
  let wake: (() => void) | undefined;
  const stop = (signal: string) => {
    if (!stopping) io.stderr(`newshound watch: ${signal} received; stopping after the current cycle`);
    stopping = true;
    wake?.();
  };
  const onInt = () => stop('SIGINT');
  const onTerm = () => stop('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);

  const local = await openLocalCycle({ config, matcher, dataDir: options.data, outboxDir: options.outbox, mail, clock, env: io.env });
  try {
    io.stdout(`Watching ${config.feeds.length} feeds every ${config.schedule.pollMinutes} min; Ctrl-C to stop.`);
    while (!stopping) {
      const began = Date.now();
      try {
        const report = await runCycle(local.deps);
        if (report.lockNote) io.stderr(`newshound watch: ${report.lockNote}.`);
        io.stdout(formatSummary(report).join('\n'));
      } catch (err) {
        // A failed cycle (store unreachable, say) is retried at the next tick rather than ending watch.
        io.stderr(`newshound watch: cycle failed: ${(err as Error).message}`);
      }
      if (stopping) break;
      const delay = Math.max(0, intervalMs - (Date.now() - began));
      io.stdout(`Next cycle at ${new Date(Date.now() + delay).toISOString()}.\n`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
    return EXIT_OK;
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    await local.close();
  }
}

/** A clock that starts at `start` and advances in real time. */
function offsetClock(start: Date): Clock {
  const offset = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}
