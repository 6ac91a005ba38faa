// Monthly AWS cost of the per-feed path for 50, 1,000 and 10,000 feeds, from what bench/scale.ts
// measured (bench/results/scale.json: DynamoDB requests and capacity units per poll by outcome, the
// steady mix of outcomes, polls per feed per day, per-minute cost of the dispatcher and the sender,
// log bytes, ms per poll) and the price list below. Everything measured scales with the number of
// feeds; the assumptions that are not measured are named in ASSUMPTIONS and printed.
//
// Run: npx tsx bench/scale.ts && npx tsx bench/cost-model.ts [--results FILE]
// Exit 1 when 1,000 feeds cost $10 a month or more in usage (the fixed part excluded).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RECENT_STORY_DAYS } from '../lambda/core/domain/recent-story.ts';
import { SCALE_RESULTS_URL, type ScaleResults, type WorkCost } from './support/scale-results.ts';

/** us-east-1 list prices (USD), as published on the AWS pricing pages; check them for your region. */
const PRICES = {
  /** Lambda, arm64: per GB-second and per request. */
  lambdaGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  /** SQS standard queue: per request; each 64 KB chunk of a payload is one request. */
  sqsRequest: 0.4 / 1e6,
  /** DynamoDB on-demand: per write request unit (1 KB) and read request unit (4 KB strongly consistent, 2 × 4 KB eventually). */
  dynamoWru: 0.625 / 1e6,
  dynamoRru: 0.125 / 1e6,
  /** DynamoDB storage and point-in-time recovery, per GB-month. */
  dynamoStorageGb: 0.25,
  dynamoPitrGb: 0.2,
  /** SES outbound, per email. */
  sesEmail: 0.1 / 1000,
  /** CloudWatch Logs ingestion, per GB. */
  logsIngestGb: 0.5,
  /** X-Ray traces recorded (active tracing on every function). */
  xrayTrace: 5 / 1e6,
  /** EventBridge Scheduler invocations (the dispatcher's and the sender's every-minute schedules). */
  schedulerInvocation: 1 / 1e6,
  /** Fixed, as in docs/deploy.md ("What it costs per month"): alarms (one metric each), custom metrics, secrets. */
  alarmMetric: 0.1,
  customMetric: 0.3,
  secret: 0.4,
} as const;

/** What is not measured by bench/scale.ts. */
const ASSUMPTIONS = {
  minutesPerMonth: 30 * 24 * 60,
  /** Memory of each function (lib/newshound-stack.ts: worker and sender 512 MB, dispatcher the 256 MB default). */
  workerGb: 0.5,
  dispatchGb: 0.25,
  senderGb: 0.5,
  /** Worker invocations take up to 10 jobs (WORKER_DEFAULTS.batchSize); fewer when fewer are due that minute. */
  batchSize: 10,
  /** Added to the measured ms per poll (a local feed answers at once; a real one over the internet does not). */
  internetFetchMs: 300,
  /** Init time billed per cold start (the poll bundle imports in ~143 ms, docs/deploy.md; SDK clients and config on top). */
  initMs: 500,
  /** Cold starts per day: dispatcher and sender stay warm on their minute schedule (a few recycles), workers scale in and out. */
  coldStartsPerDay: { dispatch: 12, sender: 12, workerPerConcurrency: 24, workerConcurrency: 20 },
  /** The Lambda event source mapping long-polls an idle queue: about 5 pollers × 3 ReceiveMessage a minute. */
  idleSqsReceivesPerMinute: 15,
  /** Each job: SendMessageBatch (10 a request), ReceiveMessage (a batch), DeleteMessageBatch (a batch). */
  sqsRequestsPerJob: 0.3,
  /** Log bytes each line carries besides what the code logs (Powertools' Lambda context, timestamp, trace id). */
  logContextBytesPerLine: 350,
  /** Per invocation: START, END and REPORT platform lines, and the worker's batch report and metrics (EMF) lines. */
  platformLogBytesPerInvocation: 400,
  workerReportLogBytes: 900,
  /** The dispatcher gives every feed without a state one: a BatchGetItem of every feed state, hourly and per cold start. */
  seedChecksPerDay: 24 + 12,
  /** Index writes DynamoDB bills that the local engine does not report: each feed-state put moves its due-index entry
   * (delete the old key, write the new: 2 WRU); each pending hit is written to the pending index and moved off it when sent. */
  dueIndexWruPerStatePut: 2,
  pendingIndexWruPerHit: 1,
  pendingIndexWruPerSentHit: 1,
  /** Item sizes stored per story and per hit (retention.days 90), and per feed state. */
  storyKb: 1,
  hitKb: 1.5,
  feedStateKb: 4,
  retentionDays: 90,
  /**
   * A recent story (the alert preview's text of each new story, kept RECENT_STORY_DAYS): a real
   * summary is assumed this big, so each put costs ceil(kb) WRU; the farm's stories are 0.3 KB, so
   * the measured polls already bill 1 WRU for each put they made.
   */
  recentStoryKb: 2,
  /** Subscribers at every scale (as docs/deploy.md), half of them hourly or daily, and the emails they get a day. */
  subscribers: 10,
  heldSubscribers: 5,
  emailsPerSubscriberDay: 10,
  /** Alarm metrics of the stack (docs/deploy.md; test/cdk/fixed-cost.test.ts counts them in the template). */
  alarms: 13,
  customMetrics: 1,
  secrets: 1,
} as const;

const SCALES = [50, 1_000, 10_000];
const TARGET_FEEDS = 1_000;
const TARGET_USD = 10;

const flag = process.argv.indexOf('--results');
const path = flag >= 0 ? process.argv[flag + 1]! : fileURLToPath(SCALE_RESULTS_URL);
const r = JSON.parse(readFileSync(path, 'utf8')) as ScaleResults;
const A = ASSUMPTIONS;
const P = PRICES;

// ------------------------------------------------------------------ per poll, from the measured steady mix

const mixTotal = Object.values(r.steadyMix).reduce((a, b) => a + b, 0);
const weighted = (f: (c: WorkCost) => number) =>
  Object.entries(r.steadyMix).reduce((sum, [outcome, n]) => sum + (f(r.outcomes[outcome]!) * n) / mixTotal, 0);
const perPoll = {
  requests: weighted((c) => c.requests.mean),
  rru: weighted((c) => c.readUnits),
  wru: weighted((c) => c.writeUnits + (c.storeCalls.putFeedState ?? 0) * A.dueIndexWruPerStatePut + (c.storeCalls.putHit ?? 0) * A.pendingIndexWruPerHit),
  recentStoryPuts: weighted((c) => c.storeCalls.putRecentStory ?? 0),
  ms: weighted((c) => c.ms.mean) + A.internetFetchMs,
  logBytes: weighted((c) => c.logBytes + c.logLines * A.logContextBytesPerLine),
};

interface Line {
  item: string;
  arithmetic: string;
  usd: number;
  fixed?: boolean;
}

const n0 = (n: number) => Math.round(n).toLocaleString('en-US');
const n2 = (n: number) => n.toFixed(2);
const gb = (bytes: number) => bytes / 2 ** 30;

function monthly(feeds: number): Line[] {
  const minutes = A.minutesPerMonth;
  const polls = feeds * r.steadyPollsPerFeedDay * 30;
  const pollsPerMinute = polls / minutes;
  // Jobs due in one minute go out together; the event source mapping hands them over in batches.
  const invocationsPerMinute = Math.max(pollsPerMinute / A.batchSize, Math.min(pollsPerMinute, 1));
  const workerInvocations = invocationsPerMinute * minutes;
  const emails = A.subscribers * A.emailsPerSubscriberDay * 30;
  const coldStarts = (A.coldStartsPerDay.dispatch + A.coldStartsPerDay.sender + A.coldStartsPerDay.workerPerConcurrency * A.coldStartsPerDay.workerConcurrency) * 30;

  // Dispatcher and sender: measured per minute at r.feeds; the dispatcher's due-index Queries and
  // the sender's idle reads do not grow with the feeds, the jobs it queues and the emails do.
  const dispatchMs = r.dispatch.ms.mean;
  const senderMs = r.senderIdle.ms.mean;
  const gbSeconds =
    (polls * perPoll.ms * A.workerGb + minutes * dispatchMs * A.dispatchGb + minutes * senderMs * A.senderGb) / 1000 + (coldStarts * A.initMs * A.workerGb) / 1000;

  // The sender reads each subscriber's pending hits every minute (up to mail.maxStoriesPerDigest, index
  // then records) before it knows whether an hourly or daily digest is due: an idle run at r.feeds read
  // this much per held subscriber, whose backlog is at the cap there; assumed at the cap here too.
  const heldRru = minutes * A.heldSubscribers * (r.senderIdle.readUnits / Math.max(1, r.subscribers.held));
  const seedChecks = A.seedChecksPerDay * 30;
  // A strongly consistent read of each feed state: 1 RRU per started 4 KB.
  const seedRru = seedChecks * feeds * Math.ceil(A.feedStateKb / 4);
  const rru = polls * perPoll.rru + minutes * r.dispatch.readUnits + emails * r.senderPerEmail.readUnits + seedRru;
  const sentHitWru = emails * r.senderPerEmail.updates * A.pendingIndexWruPerSentHit;
  const recentStoryWru = Math.max(0, feeds * r.steadyNewStoriesPerFeedDay * 30 * Math.ceil(A.recentStoryKb) - polls * perPoll.recentStoryPuts);
  const wru =
    polls * perPoll.wru + minutes * (r.dispatch.writeUnits + r.senderIdle.writeUnits) + emails * r.senderPerEmail.writeUnits + sentHitWru + recentStoryWru;
  const requests = polls * perPoll.requests + minutes * (r.dispatch.requests.mean + r.senderIdle.requests.mean) + emails * r.senderPerEmail.requests;

  const storiesPerDay = feeds * r.steadyNewStoriesPerFeedDay;
  const hitsPerDay = feeds * r.steadyHitsPerFeedDay;
  const storageGb =
    ((storiesPerDay * A.storyKb + hitsPerDay * A.hitKb) * A.retentionDays + storiesPerDay * A.recentStoryKb * RECENT_STORY_DAYS + feeds * A.feedStateKb) / 2 ** 20;

  const logBytes =
    polls * perPoll.logBytes +
    workerInvocations * (A.workerReportLogBytes + A.platformLogBytesPerInvocation) +
    minutes * 2 * A.platformLogBytesPerInvocation +
    minutes * (r.dispatch.logBytes + r.dispatch.logLines * A.logContextBytesPerLine + r.senderIdle.logBytes + r.senderIdle.logLines * A.logContextBytesPerLine);
  const sqs = polls * A.sqsRequestsPerJob + minutes * A.idleSqsReceivesPerMinute;
  const invocations = workerInvocations + 2 * minutes;

  return [
    { item: 'Lambda requests', arithmetic: `${n0(workerInvocations)} worker + ${n0(2 * minutes)} dispatcher/sender × $0.20/M`, usd: invocations * P.lambdaRequest },
    {
      item: 'Lambda compute (arm64)',
      arithmetic: `${n0(polls)} polls × ${n0(perPoll.ms)} ms × ${A.workerGb} GB + 2 × ${n0(minutes)} runs (${n0(dispatchMs)} / ${n0(senderMs)} ms) + ${n0(coldStarts)} inits = ${n0(gbSeconds)} GB-s`,
      usd: gbSeconds * P.lambdaGbSecond,
    },
    { item: 'EventBridge Scheduler', arithmetic: `2 × ${n0(minutes)} invocations × $1.00/M (14 M free)`, usd: 2 * minutes * P.schedulerInvocation },
    { item: 'SQS requests', arithmetic: `${n0(polls)} jobs × ${A.sqsRequestsPerJob} + idle long polls ${n0(minutes * A.idleSqsReceivesPerMinute)} = ${n0(sqs)} × $0.40/M (1 M free)`, usd: sqs * P.sqsRequest },
    {
      item: 'DynamoDB writes',
      arithmetic: `${n0(wru)} WRU (${n2(perPoll.wru)} per poll incl. index; recent stories ${n0(recentStoryWru)} beyond what was measured) × $0.625/M`,
      usd: wru * P.dynamoWru,
    },
    { item: 'DynamoDB reads', arithmetic: `${n0(rru)} RRU (${n2(perPoll.rru)} per poll, hourly seed check ${n0(seedRru)}) × $0.125/M`, usd: rru * P.dynamoRru },
    {
      item: 'DynamoDB reads: held digests',
      arithmetic: `${A.heldSubscribers} hourly/daily subscribers × ${n2(r.senderIdle.readUnits / Math.max(1, r.subscribers.held))} RRU a minute × ${n0(minutes)} = ${n0(heldRru)} RRU × $0.125/M`,
      usd: heldRru * P.dynamoRru,
    },
    { item: 'DynamoDB storage + PITR', arithmetic: `${n2(storageGb)} GB × ($0.25 + $0.20)`, usd: storageGb * (P.dynamoStorageGb + P.dynamoPitrGb) },
    { item: 'SES', arithmetic: `${n0(emails)} emails × $0.10/1,000`, usd: emails * P.sesEmail },
    { item: 'CloudWatch Logs', arithmetic: `${n2(gb(logBytes))} GB × $0.50`, usd: gb(logBytes) * P.logsIngestGb },
    { item: 'X-Ray traces', arithmetic: `${n0(invocations)} traces × $5.00/M (100,000 free)`, usd: invocations * P.xrayTrace },
    { item: 'alarms', arithmetic: `${A.alarms} × $0.10`, usd: A.alarms * P.alarmMetric, fixed: true },
    { item: 'custom metrics', arithmetic: `${A.customMetrics} × $0.30`, usd: A.customMetrics * P.customMetric, fixed: true },
    { item: 'Secrets Manager', arithmetic: `${A.secrets} × $0.40`, usd: A.secrets * P.secret, fixed: true },
    { item: '(DynamoDB requests, for reference)', arithmetic: `${n0(requests)} requests a month`, usd: 0 },
  ];
}

console.log(`Measured by bench/scale.ts (${r.generatedAt}, ${r.feeds} feeds, ${r.hours} simulated h, ${r.polls} polls, ${r.node}):`);
console.log(`  polls per feed per day after the first poll ${n2(r.steadyPollsPerFeedDay)} (with first polls ${n2(r.pollsPerFeedDay)}); steady mix ${Object.entries(r.steadyMix).map(([o, n]) => `${o} ${((100 * n) / mixTotal).toFixed(1)}%`).join(', ')}`);
console.log(
  `  per poll (mix): ${n2(perPoll.requests)} DynamoDB requests, ${n2(perPoll.rru)} RRU, ${n2(perPoll.wru)} WRU with index writes, ${n0(perPoll.ms - A.internetFetchMs)} ms measured + ${A.internetFetchMs} ms assumed fetch, ${n0(perPoll.logBytes)} log bytes`,
);
console.log(`  per minute: dispatcher ${n2(r.dispatch.requests.mean)} requests, ${n0(r.dispatch.ms.mean)} ms; idle sender ${n2(r.senderIdle.requests.mean)} requests, ${n0(r.senderIdle.ms.mean)} ms; per email +${n2(r.senderPerEmail.requests)} requests, +${n2(r.senderPerEmail.writeUnits)} WRU`);
console.log(`\nAssumptions (not measured): ${JSON.stringify(ASSUMPTIONS)}`);
console.log(`Prices (us-east-1 list): ${JSON.stringify(PRICES)}\n`);

const tables = SCALES.map((feeds) => ({ feeds, lines: monthly(feeds) }));
console.log(`| item | ${SCALES.map((f) => `${n0(f)} feeds`).join(' | ')} |`);
console.log(`| --- | ${SCALES.map(() => '---:').join(' | ')} |`);
const items = tables[0]!.lines.map((l) => l.item).filter((item) => !item.startsWith('('));
for (const item of items) console.log(`| ${item} | ${tables.map((t) => `$${n2(t.lines.find((l) => l.item === item)!.usd)}`).join(' | ')} |`);
const usage = (lines: Line[]) => lines.filter((l) => !l.fixed).reduce((n, l) => n + l.usd, 0);
const fixed = (lines: Line[]) => lines.filter((l) => l.fixed).reduce((n, l) => n + l.usd, 0);
console.log(`| **usage** | ${tables.map((t) => `**$${n2(usage(t.lines))}**`).join(' | ')} |`);
console.log(`| fixed | ${tables.map((t) => `$${n2(fixed(t.lines))}`).join(' | ')} |`);
console.log(`| **total** | ${tables.map((t) => `**$${n2(usage(t.lines) + fixed(t.lines))}**`).join(' | ')} |`);

for (const t of tables) {
  console.log(`\n${n0(t.feeds)} feeds, the arithmetic:`);
  for (const l of t.lines) console.log(`  ${l.item}: ${l.arithmetic}${l.usd ? ` = $${n2(l.usd)}` : ''}`);
}

const target = usage(tables.find((t) => t.feeds === TARGET_FEEDS)!.lines);
const ok = target < TARGET_USD;
console.log(`\n${ok ? 'PASS' : 'FAIL'}  ${n0(TARGET_FEEDS)} feeds: $${n2(target)} a month in usage (< $${TARGET_USD})`);
process.exitCode = ok ? 0 : 1;
