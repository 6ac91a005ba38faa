import { formatSummary } from '../../app/format-summary.ts';
import { openLocalCycle } from '../local-cycle.ts';
import { runCycle } from '../../app/run-cycle.ts';
import { fixedClock, systemClock } from '../../core/ports/clock.ts';
import { EXIT_BUSY, EXIT_OK, EXIT_UNAVAILABLE, type CliIo } from '../io.ts';
import { prepareCycle, type CycleCliOptions } from './cycle-options.ts';

/**
 * `newshound run`: one cycle. Exit 0 when the cycle ran (failed feeds and sends are in the summary),
 * 2 for an invalid config or option (nothing fetched or sent), 75 when another live cycle holds the
 * lock (nothing done; try again later), 1 on anything else (thrown to main).
 */
export async function runCommand(options: CycleCliOptions, io: CliIo): Promise<number> {
  const prepared = prepareCycle('run', options, io);
  if (typeof prepared === 'number') return prepared;
  const { now, mail, config } = prepared;

  const local = await openLocalCycle({
    config,
    dataDir: options.data,
    outboxDir: options.outbox,
    mail,
    clock: now ? fixedClock(now) : systemClock,
    env: io.env,
  });
  try {
    const report = await runCycle(local.deps);
    if (report.lockNote) io.stderr(`newshound run: ${report.lockNote}.`);
    io.stdout(formatSummary(report).join('\n'));
    if (report.skipped) return EXIT_BUSY;
    if (report.sendFailures.length > 0 && report.emails.length === 0) {
      // Nothing could be sent: the hits stay pending, but a script must not read this as success.
      io.stderr(`newshound run: every send failed (${report.sendFailures.length}); the stories stay pending for the next run. First error: ${report.sendFailures[0]?.error ?? ''}`);
      return EXIT_UNAVAILABLE;
    }
    if (mail === 'outbox' && report.emails.length > 0) io.stdout(`Digests written to ${options.outbox}/ (open a .eml file in a mail client).`);
    return EXIT_OK;
  } finally {
    await local.close();
  }
}
