import { countNoun } from './count-noun.ts';
import type { CycleReport, FeedReport } from './cycle-report.ts';
import { singleLine } from '../core/digest/safe-text.ts';
import { formatTable, terminalLines, truncate } from './format-table.ts';

const NAME_WIDTH = 40;

/**
 * The `run` summary (README, "Feed health"): per-feed table, failures, flagged feeds, the emails
 * sent. Feed names, titles and errors come from the network: every line is made terminal-safe.
 */
export function formatSummary(report: CycleReport): string[] {
  if (report.skipped) return terminalLines([`Cycle at ${report.startedAt} skipped: ${report.skipped}.`]);
  const { totals } = report;
  const lines: string[] = [
    `Cycle at ${report.startedAt}: ${countNoun(totals.feeds, 'feed')} (${totals.failed} failed), ${countNoun(totals.items, 'item')}, ` +
      `${totals.new} new, ${totals.matched} matched, ${countNoun(totals.hits, 'hit')}.`,
    '',
  ];
  const rows = [['FEED', 'STATUS', 'ITEMS', 'NEW', 'MATCHED']];
  for (const feed of report.feeds) {
    rows.push([
      truncate(singleLine(feed.name) || feed.url, NAME_WIDTH),
      feed.status,
      String(feed.items),
      String(feed.new),
      String(feed.matched),
    ]);
  }
  lines.push(...formatTable(rows, new Set([2, 3, 4])));

  const failed = report.feeds.filter((f) => f.error);
  if (failed.length > 0) {
    lines.push('', 'Failed feeds (retried next cycle):');
    for (const feed of failed) lines.push(`  ${singleLine(feed.name)} <${feed.url}>: ${singleLine(feed.error ?? '')}`);
  }
  const repaired = report.feeds.filter((f) => f.repaired);
  if (repaired.length > 0) {
    lines.push('', 'Repaired feeds (read, but not well-formed):');
    for (const feed of repaired) lines.push(`  ${singleLine(feed.name)} <${feed.url}>: ${singleLine(feed.repaired ?? '')}`);
  }
  const partial = report.feeds.filter((f) => f.dropped || f.capped || f.failedEntries);
  if (partial.length > 0) {
    lines.push('', 'Entries not taken (the feeds\' other entries were):');
    for (const feed of partial) lines.push(`  ${singleLine(feed.name)} <${feed.url}>: ${entryNotes(feed).join('; ')}`);
  }
  const flagged = report.feeds.filter((f) => f.flags.length > 0);
  if (flagged.length > 0) {
    lines.push('', 'Flagged feeds:');
    for (const feed of flagged) {
      lines.push(`  [${feed.flags.join(', ')}] ${singleLine(feed.name)} <${feed.url}>: ${singleLine(feed.flagReasons.join('; '))}`);
    }
  }

  lines.push('');
  if (report.emails.length === 0) lines.push('Emails sent: none.');
  else {
    lines.push(`Emails sent: ${report.emails.length}`);
    for (const email of report.emails) lines.push(`  ${email.to}: ${countNoun(email.items, 'story', 'stories')} (${email.messageId})`);
  }
  if (report.sendFailures.length > 0) {
    lines.push(`Send failures (hits kept pending, retried next cycle): ${report.sendFailures.length}`);
    for (const failure of report.sendFailures) lines.push(`  ${failure.to}: ${countNoun(failure.items, 'story', 'stories')}: ${singleLine(failure.error)}`);
  }
  for (const repair of report.repairs) lines.push(`Digest ${repair.digestId.slice(0, 12)} for ${repair.to}: ${repair.action} (${repair.reason})`);
  if (report.held > 0) lines.push(`Held for a later digest (hourly/daily): ${countNoun(report.held, 'subscriber')}.`);
  return terminalLines(lines);
}

function entryNotes(feed: FeedReport): string[] {
  const notes: string[] = [];
  if (feed.dropped) notes.push(`${countNoun(feed.dropped, 'entry', 'entries')} dropped (malformed or over a limit)`);
  if (feed.capped) notes.push(`${countNoun(feed.capped, 'older entry', 'older entries')} left out (fetch.maxItemsPerFeed)`);
  if (feed.failedEntries) notes.push(`${countNoun(feed.failedEntries, 'entry', 'entries')} refused by the store, retried next cycle: ${singleLine(feed.entryError ?? '')}`);
  return notes;
}
