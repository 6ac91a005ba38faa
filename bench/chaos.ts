// Crash test (issue 8): does a story reach each subscriber once, never twice, never missing, when
// `newshound run` is killed at random moments?
//
// What it does: starts a local feed farm (one node:http server on 127.0.0.1, --feeds feeds with
// ETags, fetch.allowPrivateNetworks), writes a config with four topics and four subscribers of each
// frequency (immediate, hourly, daily; daily ones in four time zones), then runs
// `node bin/newshound.mjs run --now T` as a child process again and again. Before every run the farm
// publishes new items (deterministic from --seed: ~60% match one or two topics, some are near
// misses, some are cross-posted to a second feed under a utm_ link, a few are 10 days old at
// publication and must never be alerted) and --now advances 7–15 simulated minutes.
//   1. Calibration: three clean runs; the time to the farm's first request and to exit (median of the
//      recent clean runs that did a cycle) set the kill-time distribution.
//   2. Kill phase: each round one run is SIGKILLed at a random moment: with p = 0.2 uniform over its
//      start-up (spawn to a normal run's first feed request: pid file, engine, cycle lock), otherwise
//      at a delay after the run's own first feed request drawn uniformly over 110% of a normal run's
//      cycle (first request to exit), so kills land while polling, recording, matching and sending.
//      With p = 0.4 a clean run follows. A run that exits before its kill is judged like a clean one.
//      Until --kills real kills (a SIGKILL that reached a live process), or --max-rounds.
//   3. Settling: clean runs, no new items, each --now far enough ahead (≥ 61 minutes, and past every
//      daily subscriber's next 08:00) that every hourly and daily digest is due, until two
//      consecutive completed runs send nothing (at most --max-settle runs; "NOT SETTLED" otherwise).
// Then every .eml in the outbox is parsed (mailparser; story links in the text and the HTML part,
// X-Newshound-Items) and each (subscriber, story) that should have been delivered — the item matches
// one of the subscriber's topics and was published less than fetch.maxItemAgeDays (7) before it was
// served — is counted: lost = 0 deliveries, duplicated = more than 1. Also reported: unexpected
// deliveries (a story the subscriber should never get), emails whose text part, HTML part and
// X-Newshound-Items disagree, partial files left in the outbox, where the kills landed, and stalls:
// a run that ran to its end but printed "skipped", exited non-zero, or sent nothing while some
// subscriber had a story due (a pending story that did arrive later, and its schedule due);
// the longest stall in runs and simulated minutes. Killed runs are neither stalls nor the end of one.
// Also: the longest wait of one delivered story in completed runs, and what the runs themselves
// reported as repairs. Three completed runs in a row failing with "data directory in use" end the
// campaign as WEDGED (a stale pid file would otherwise cost 60 s a run for ever).
//
// Run:   npx tsx bench/chaos.ts [--kills N] [--seed S] [--store embedded|dynamodb-local] [--keep DIR]
//        [--feeds 10] [--clean-between 0.4] [--max-rounds N] [--max-settle 16]
//        [--root DIR (the checkout whose bin/newshound.mjs runs; default this one)]
// Default --kills: 200 (embedded), 50 (dynamodb-local, which needs Java). About 10 minutes on 2 cores.
// --keep DIR leaves config, data, outbox and runs.jsonl (one line per run) there.
// Targets (issue 8): 0 lost and 0 duplicated over 200 kills on the embedded store and 50 on
// DynamoDB Local; stalls are reported. Exit 1 when anything was lost, duplicated or unexpected, or
// the data directory wedged; 0 otherwise.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { startFarm, rssFeed, type FarmItem } from './support/farm.ts';
import { listEml, listPartial, parseEml } from './support/outbox.ts';
import { seededRng } from './support/prng.ts';
import { killStartedChildren, runCli, type CliRun } from './support/run-cli.ts';

const { values: opts } = parseArgs({
  options: {
    kills: { type: 'string' },
    seed: { type: 'string', default: '1' },
    store: { type: 'string', default: 'embedded' },
    keep: { type: 'string' },
    feeds: { type: 'string', default: '10' },
    'clean-between': { type: 'string', default: '0.4' },
    'max-rounds': { type: 'string' },
    'max-settle': { type: 'string', default: '16' },
    root: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (opts.help) {
  console.log('npx tsx bench/chaos.ts [--kills N] [--seed S] [--store embedded|dynamodb-local] [--keep DIR] [--feeds N] [--clean-between P] [--max-rounds N] [--max-settle N] [--root DIR]');
  process.exit(0);
}
const STORE = opts.store as 'embedded' | 'dynamodb-local';
if (STORE !== 'embedded' && STORE !== 'dynamodb-local') throw new Error('--store must be embedded or dynamodb-local');
const KILLS = Number(opts.kills ?? (STORE === 'embedded' ? 200 : 50));
const SEED = Number(opts.seed);
const FEEDS = Number(opts.feeds);
const CLEAN_BETWEEN = Number(opts['clean-between']);
const MAX_ROUNDS = Number(opts['max-rounds'] ?? KILLS * 3);
const MAX_SETTLE = Number(opts['max-settle']);
const BIN = opts.root ? join(resolve(opts.root), 'bin/newshound.mjs') : undefined;
const STEP_MIN = 7;
const STEP_MAX = 15;
const MAX_ITEM_AGE_DAYS = 7;
const DAILY_AT = '08:00';
const FEED_WINDOW = 60; // items a feed serves (newest first); ~1 new per feed per run
const CLEAN_TIMEOUT_MS = 180_000;
const WEDGE_AFTER = 3; // consecutive completed runs failing with the data directory busy
const MIN = 60_000;
const T0 = Date.parse('2026-04-06T05:00:00Z');

const rng = seededRng(SEED);
const killRng = seededRng(SEED * 7919 + 17);

// ---------------------------------------------------------------- topics, subscribers, stories

const TOPICS = [
  { id: 'jaxa', name: 'Attacks on JAXA', query: 'JAXA OR 宇宙航空研究開発機構', terms: ['JAXA', '宇宙航空研究開発機構'] },
  { id: 'unit', name: 'PLA Unit 61419', query: '"Unit 61419"', terms: ['Unit 61419', 'unit 61419'] },
  { id: 'tick', name: 'Tick group', query: '=Tick OR "BRONZE BUTLER"', terms: ['Tick', 'BRONZE BUTLER'] },
  { id: 'quake', name: 'Earthquakes', query: 'earthquake OR tsunami', terms: ['earthquake', 'Tsunami'] },
] as const;
type TopicId = (typeof TOPICS)[number]['id'];
/** Words that look like a topic term and must not match (README: word boundaries, =Tick case-sensitive). */
const NEAR_MISSES = ['JAXAMAX', 'Unit 614190', 'tick', 'earthquakes'];
const FILLER = ['agency', 'ministry', 'report', 'network', 'budget', 'satellite', 'election', 'court', 'market', 'storm', 'harbor', 'council', 'airline', 'factory', 'summit', 'river'];

interface Sub {
  email: string;
  frequency: 'immediate' | 'hourly' | 'daily';
  timezone: string;
  topics: TopicId[];
}
const TOPIC_SETS: TopicId[][] = [['jaxa', 'unit'], ['tick'], ['quake', 'jaxa'], ['jaxa', 'unit', 'tick', 'quake']];
const ZONES = ['UTC', 'Asia/Tokyo', 'America/New_York', 'Europe/London'];
const SUBS: Sub[] = (['immediate', 'hourly', 'daily'] as const).flatMap((frequency) =>
  TOPIC_SETS.map((topics, i) => ({ email: `${frequency}-${i + 1}@chaos.example`, frequency, timezone: ZONES[i]!, topics })),
);

interface Story {
  id: string;
  feed: number;
  topics: TopicId[];
  /** Published 10 days before it was first served: recorded, never alerted. */
  old: boolean;
  /** Index of the first run that could see it. */
  firstRun: number;
  crossPostedTo?: number;
}
const stories: Story[] = [];
const feedItems: FarmItem[][] = Array.from({ length: FEEDS }, () => []);
const feedVersion: number[] = Array.from({ length: FEEDS }, () => 0);
let crossPosts = 0;

function words(n: number): string {
  return Array.from({ length: n }, () => rng.pick(FILLER)).join(' ');
}

/** New items on the farm before run `runIndex` at simulated time `now`. */
function publish(runIndex: number, now: number, farm: Awaited<ReturnType<typeof startFarm>>): void {
  const changed = new Set<number>();
  for (let f = 0; f < FEEDS; f++) {
    const count = rng.pick([0, 1, 1, 2]);
    for (let k = 0; k < count; k++) {
      const id = `s${String(stories.length + 1).padStart(6, '0')}`;
      const roll = rng();
      const topics: TopicId[] = roll < 0.4 ? [] : roll < 0.85 ? [rng.pick(TOPICS).id] : rng.sample(TOPICS, 2).map((t) => t.id);
      const old = topics.length > 0 && rng() < 0.03;
      const inTitle = rng() < 0.6;
      const terms = topics.map((t) => rng.pick(TOPICS.find((x) => x.id === t)!.terms));
      const miss = topics.length === 0 && rng() < 0.5 ? ` ${rng.pick(NEAR_MISSES)}` : '';
      const title = `${words(2)}${inTitle ? ` ${terms.join(' and ')}` : ''}${miss} ${words(2)} [${id}]`;
      const description = `${words(12)}.${inTitle ? '' : ` Officials said ${terms.join(' and ')} was involved.`} ${words(8)}.`;
      const pubDate = new Date(old ? now - 10 * 24 * 60 * MIN : now - rng.int(0, 30) * MIN);
      const link = `https://chaos.example/s/${id}`;
      const story: Story = { id, feed: f, topics, old, firstRun: runIndex };
      feedItems[f]!.unshift({ title, link, description, pubDate });
      changed.add(f);
      if (rng() < 0.08 && FEEDS > 1) {
        // The same story on another feed under a tracking link: one story, alerted once.
        const g = (f + rng.int(1, FEEDS - 1)) % FEEDS;
        feedItems[g]!.unshift({ title, link: `${link}?utm_source=feed${g}&utm_medium=rss`, description, pubDate });
        story.crossPostedTo = g;
        crossPosts += 1;
        changed.add(g);
      }
      stories.push(story);
    }
  }
  for (const f of changed) {
    feedItems[f]!.length = Math.min(feedItems[f]!.length, FEED_WINDOW);
    feedVersion[f]! += 1;
    serveFeed(f, farm);
  }
}

function serveFeed(f: number, farm: Awaited<ReturnType<typeof startFarm>>): void {
  farm.set(`/feed-${f}.xml`, { body: rssFeed(`Chaos feed ${f}`, feedItems[f]!), etag: `"feed${f}-v${feedVersion[f]}"` });
}

const formats = new Map<string, Intl.DateTimeFormat>();
function local(t: number, timeZone: string): { date: string; time: string } {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}` };
}

// ---------------------------------------------------------------- runs

type RunPhase = 'calibrate' | 'kill' | 'between' | 'settle';
interface RunRecord {
  index: number;
  phase: RunPhase;
  now: number;
  /** The planned kill: ms after spawn (start-up) or after the run's first feed request (cycle). */
  kill?: { after: 'spawn' | 'first request'; ms: number };
  killed: boolean;
  /** Where a kill landed: no feed request yet, in the cycle before any email, or after emails were written. */
  killLanded?: 'start-up' | 'cycle' | 'send';
  code: number | null;
  wallMs: number;
  firstRequestMs?: number;
  skipped: boolean;
  failed: boolean;
  busy: boolean;
  emails: string[];
  partial: number;
  summary: string;
  /** The product's own repair lines (`Digest … marked-sent (…)`) and send-failure count. */
  repairs: string[];
  error: string;
  stdout: string;
}

const workDir = opts.keep ? resolve(opts.keep) : mkdtempSync(join(tmpdir(), 'newshound-chaos-'));
mkdirSync(workDir, { recursive: true });
const dataDir = join(workDir, 'data');
const outboxDir = join(workDir, 'outbox');
const configPath = join(workDir, 'newshound.yaml');
const runsLog = join(workDir, 'runs.jsonl');
if (existsSync(dataDir) || existsSync(outboxDir)) throw new Error(`${workDir} already holds data/ or outbox/: give --keep an empty or new directory`);
writeFileSync(runsLog, '');

process.on('SIGINT', () => {
  killStartedChildren();
  process.exit(130);
});

const farm = await startFarm();
let dynamo: { stop(): Promise<void>; env(table: string): NodeJS.ProcessEnv } | undefined;
let storeEnv: NodeJS.ProcessEnv = { NEWSHOUND_TABLE: '' };
if (STORE === 'dynamodb-local') {
  const { startDynamoDbLocal } = await import('../test/support/dynamodb-local.ts');
  dynamo = await startDynamoDbLocal();
  storeEnv = dynamo.env(`newshound-chaos-${SEED}`);
}

for (let f = 0; f < FEEDS; f++) serveFeed(f, farm);
writeFileSync(
  configPath,
  stringify({
    feeds: Array.from({ length: FEEDS }, (_, f) => ({ url: farm.url(`/feed-${f}.xml`), name: `Chaos feed ${f}` })),
    topics: TOPICS.map(({ id, name, query }) => ({ id, name, query })),
    subscribers: SUBS.map(({ email, topics, frequency, timezone }) => ({ email, topics, frequency, timezone })),
    mail: { from: 'Newshound <alerts@chaos.example>', dailyAt: DAILY_AT, publicUrl: 'https://alerts.chaos.example' },
    fetch: { allowPrivateNetworks: true, timeoutSeconds: 10, maxItemAgeDays: MAX_ITEM_AGE_DAYS },
  }),
);

const runs: RunRecord[] = [];
const seenFiles = new Set<string>();
const seenPartial = new Set<string>();
const calibration: Array<{ firstRequestMs: number; cycleMs: number }> = [];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.floor(s.length / 2)]!;
}
function calibrated(): { firstRequestMs: number; cycleMs: number } {
  const recent = calibration.slice(-9);
  return { firstRequestMs: median(recent.map((c) => c.firstRequestMs)), cycleMs: median(recent.map((c) => c.cycleMs)) };
}

async function run(phase: RunPhase, now: number, kill?: RunRecord['kill']): Promise<RunRecord> {
  const args = ['run', '--config', configPath, '--data', dataDir, '--outbox', outboxDir, '--now', new Date(now).toISOString()];
  const requestsBefore = farm.requests.length;
  let timer: NodeJS.Timeout | undefined;
  const cli: CliRun = await runCli(args, {
    env: storeEnv,
    timeoutMs: CLEAN_TIMEOUT_MS,
    ...(kill?.after === 'spawn' ? { killAfterMs: kill.ms } : {}),
    ...(kill?.after === 'first request'
      ? {
          onSpawn: (killNow: () => void) => {
            farm.onRequest = () => {
              farm.onRequest = undefined;
              timer = setTimeout(killNow, kill.ms);
            };
          },
        }
      : {}),
    ...(BIN ? { bin: BIN } : {}),
  });
  farm.onRequest = undefined;
  clearTimeout(timer);
  const mine = farm.requests.slice(requestsBefore).filter((r) => r.at >= cli.startedAt && r.at <= cli.endedAt);
  const emails = listEml(outboxDir).filter((f) => !seenFiles.has(f));
  for (const f of emails) seenFiles.add(f);
  const partial = listPartial(outboxDir).filter((f) => !seenPartial.has(f));
  for (const f of partial) seenPartial.add(f);
  const record: RunRecord = {
    index: runs.length,
    phase,
    now,
    ...(kill ? { kill: { after: kill.after, ms: Math.round(kill.ms) } } : {}),
    killed: cli.killed,
    code: cli.code,
    wallMs: Math.round(cli.wallMs),
    ...(mine.length > 0 ? { firstRequestMs: Math.round(mine[0]!.at - cli.startedAt) } : {}),
    skipped: !cli.killed && /skipped/.test(cli.stdout),
    failed: !cli.killed && (cli.code !== 0 || cli.timedOut),
    // The wording of DataDirBusyError; exit 75 (EX_TEMPFAIL) where the CLI has a code of its own for it.
    busy: !cli.killed && (/in use by another newshound process/.test(cli.stderr) || cli.code === 75),
    emails,
    partial: partial.length,
    summary: cli.stdout.split('\n')[0] ?? '',
    repairs: cli.stdout.split('\n').filter((l) => l.startsWith('Digest ')),
    stdout: cli.stdout,
    error: cli.timedOut ? `timed out after ${CLEAN_TIMEOUT_MS} ms` : (cli.stderr.trim().split('\n')[0] ?? ''),
  };
  if (cli.killed) record.killLanded = emails.length > 0 || partial.length > 0 ? 'send' : mine.length > 0 ? 'cycle' : 'start-up';
  if (phase !== 'settle' && !cli.killed && !record.failed && !record.skipped && record.firstRequestMs !== undefined) {
    calibration.push({ firstRequestMs: record.firstRequestMs, cycleMs: cli.wallMs - record.firstRequestMs });
  }
  runs.push(record);
  appendFileSync(runsLog, `${JSON.stringify({ ...record, now: new Date(now).toISOString() })}\n`);
  return record;
}

function drawKill(): NonNullable<RunRecord['kill']> {
  const c = calibrated();
  return killRng() < 0.2 ? { after: 'spawn', ms: killRng() * c.firstRequestMs } : { after: 'first request', ms: killRng() * c.cycleMs * 1.1 };
}

const started = performance.now();
let now = T0;
let kills = 0;
let rounds = 0;
let wedged = false;
let consecutiveBusy = 0;
const step = () => (now += rng.int(STEP_MIN, STEP_MAX) * MIN);
const noteBusy = (r: RunRecord) => {
  consecutiveBusy = r.busy ? consecutiveBusy + 1 : r.killed ? consecutiveBusy : 0;
  if (consecutiveBusy >= WEDGE_AFTER) wedged = true;
};
const progress = (msg: string) => process.stderr.write(`\r${msg}`.padEnd(100));

try {
  // 1. Calibration.
  for (let i = 0; i < 3; i++) {
    publish(runs.length, now, farm);
    noteBusy(await run('calibrate', now));
    step();
  }
  if (calibration.length === 0) throw new Error(`no calibration run completed a cycle: ${JSON.stringify(runs.at(-1))}`);

  // 2. Kill phase.
  while (kills < KILLS && rounds < MAX_ROUNDS && !wedged) {
    rounds += 1;
    publish(runs.length, now, farm);
    const killed = await run('kill', now, drawKill());
    if (killed.killed) kills += 1;
    noteBusy(killed);
    step();
    if (rng() < CLEAN_BETWEEN && !wedged) {
      publish(runs.length, now, farm);
      noteBusy(await run('between', now));
      step();
    }
    progress(`chaos: ${kills}/${KILLS} kills, ${runs.length} runs, ${seenFiles.size} emails, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }

  // 3. Settling: every schedule due at every run, no new items.
  let quiet = 0;
  let settleRuns = 0;
  let prev = now;
  while (quiet < 2 && settleRuns < MAX_SETTLE && !wedged) {
    prev = nextAllDue(prev);
    const r = await run('settle', prev);
    noteBusy(r);
    settleRuns += 1;
    quiet = !r.failed && !r.skipped && r.emails.length === 0 ? quiet + 1 : 0;
    progress(`chaos: settling, ${settleRuns} runs, ${seenFiles.size} emails`);
  }
  now = prev;
  process.stderr.write('\n');
} finally {
  await farm.close();
  await dynamo?.stop();
}

/** The first time ≥ 61 min after `prev` at which every daily subscriber is past an 08:00 later than `prev`. */
function nextAllDue(prev: number): number {
  const dailies = SUBS.filter((s) => s.frequency === 'daily');
  for (let t = prev + 61 * MIN; ; t += 5 * MIN) {
    const ok = dailies.every((s) => {
      const p = local(prev, s.timezone);
      const n = local(t, s.timezone);
      const threshold = `${n.date} ${DAILY_AT}:00`;
      return `${n.date} ${n.time}` >= threshold && `${p.date} ${p.time}` < threshold;
    });
    if (ok) return t;
  }
}

// ---------------------------------------------------------------- counting

const runList = (at: number[]) => (at.length <= 8 ? at.join(', ') : `${at.slice(0, 6).join(', ')}, … ${at.at(-1)}`);
const storyById = new Map(stories.map((s) => [s.id, s]));
const subByEmail = new Map(SUBS.map((s) => [s.email, s]));
const expectedFor = (sub: Sub, story: Story) => !story.old && story.topics.some((t) => sub.topics.includes(t));
const LINK = /https:\/\/chaos\.example\/s\/(s\d{6})/g;
const idsIn = (text: string) => [...text.matchAll(LINK)].map((m) => m[1]!);

/** deliveries.get(email).get(storyId) = the runs whose emails carried it (one entry per email). */
const deliveries = new Map<string, Map<string, number[]>>();
const emailsTo = new Map<string, number[]>(); // email → run index of each email sent to it
let emailCount = 0;
let inconsistent = 0;
const inconsistentExamples: string[] = [];
let unknownRecipient = 0;
for (const r of runs) {
  for (const file of r.emails) {
    const mail = await parseEml(outboxDir, file);
    emailCount += 1;
    const textIds = idsIn(mail.text);
    const htmlIds = new Set(idsIn(mail.html));
    const ids = new Set(textIds);
    const problems: string[] = [];
    if (textIds.length !== ids.size) problems.push('a story listed twice in the text part');
    if (ids.size !== htmlIds.size || [...ids].some((id) => !htmlIds.has(id))) problems.push(`text part ${ids.size} stories, HTML part ${htmlIds.size}`);
    if (mail.items !== ids.size) problems.push(`X-Newshound-Items ${mail.items} but ${ids.size} story links`);
    if (problems.length > 0) {
      inconsistent += 1;
      if (inconsistentExamples.length < 5) inconsistentExamples.push(`${file} to ${mail.to}: ${problems.join('; ')}`);
    }
    if (!subByEmail.has(mail.to)) unknownRecipient += 1;
    const perSub = deliveries.get(mail.to) ?? new Map<string, number[]>();
    deliveries.set(mail.to, perSub);
    for (const id of new Set([...ids, ...htmlIds])) perSub.set(id, [...(perSub.get(id) ?? []), r.index]);
    emailsTo.set(mail.to, [...(emailsTo.get(mail.to) ?? []), r.index]);
  }
}

let expected = 0;
let delivered = 0;
let lost = 0;
let duplicatedPairs = 0;
let extraCopies = 0;
let lostEverywhere = 0;
const lostExamples: string[] = [];
const dupExamples: string[] = [];
const deliveredToAnyone = new Set<string>();
for (const perSub of deliveries.values()) for (const id of perSub.keys()) deliveredToAnyone.add(id);
/** For stalls: the run of each expected pair's first delivery (lost pairs excluded). */
const firstDelivery = new Map<string, Array<{ story: Story; run: number }>>();
for (const sub of SUBS) {
  const got = deliveries.get(sub.email) ?? new Map<string, number[]>();
  const firsts: Array<{ story: Story; run: number }> = [];
  for (const story of stories) {
    if (!expectedFor(sub, story)) continue;
    expected += 1;
    const at = got.get(story.id) ?? [];
    if (at.length === 0) {
      lost += 1;
      if (!deliveredToAnyone.has(story.id)) lostEverywhere += 1;
      if (lostExamples.length < 8) {
        lostExamples.push(`${sub.email} ${story.id} (feed ${story.feed}, first served before run ${story.firstRun}${story.crossPostedTo !== undefined ? `, cross-posted to feed ${story.crossPostedTo}` : ''}; ${deliveredToAnyone.has(story.id) ? 'others got it' : 'nobody got it'})`);
      }
      continue;
    }
    delivered += 1;
    firsts.push({ story, run: at[0]! });
    if (at.length > 1) {
      duplicatedPairs += 1;
      extraCopies += at.length - 1;
      if (dupExamples.length < 8) dupExamples.push(`${sub.email} ${story.id} ×${at.length} (runs ${runList(at)}; first served before run ${story.firstRun})`);
    }
  }
  firstDelivery.set(sub.email, firsts);
}
let unexpected = 0;
const unexpectedExamples: string[] = [];
for (const [email, perSub] of deliveries) {
  const sub = subByEmail.get(email);
  for (const [id, at] of perSub) {
    const story = storyById.get(id);
    if (sub && story && expectedFor(sub, story)) continue;
    unexpected += at.length;
    if (unexpectedExamples.length < 5) unexpectedExamples.push(`${email} ${id}${story?.old ? ' (10 days old when published)' : story ? ' (no topic of theirs)' : ' (unknown story)'}`);
  }
}

// Stalls. scheduleDue[s][r]: would the product's schedule send to s at run r (given what it sent before)?
const scheduleDue = SUBS.map((sub) => {
  const sentAt = (emailsTo.get(sub.email) ?? []).map((r) => runs[r]!.now);
  let k = 0;
  let last: number | undefined;
  return runs.map((r) => {
    while (k < sentAt.length && (emailsTo.get(sub.email) ?? [])[k]! < r.index) last = sentAt[k++];
    if (sub.frequency === 'immediate') return true;
    if (sub.frequency === 'hourly') return last === undefined || Math.floor(last / (60 * MIN)) !== Math.floor(r.now / (60 * MIN));
    const n = local(r.now, sub.timezone);
    const threshold = `${n.date} ${DAILY_AT}:00`;
    if (`${n.date} ${n.time}` < threshold) return false;
    if (last === undefined) return true;
    const l = local(last, sub.timezone);
    return `${l.date} ${l.time}` < threshold;
  });
});
// pending[s][r]: s had an expected story served by run r that arrived only after run r.
const pending = SUBS.map((sub) => {
  const diff = new Array<number>(runs.length + 1).fill(0);
  for (const { story, run: at } of firstDelivery.get(sub.email) ?? []) {
    if (at > story.firstRun) {
      diff[story.firstRun]! += 1;
      diff[at]! -= 1;
    }
  }
  let acc = 0;
  return runs.map((_, r) => {
    acc += diff[r]!;
    return acc > 0;
  });
});
const judged = (r: RunRecord) => !r.killed;
const dueAt = (r: RunRecord) => SUBS.some((_, s) => pending[s]![r.index] && scheduleDue[s]![r.index]);
const stallCause = (r: RunRecord): string | undefined =>
  !judged(r) ? undefined : r.skipped ? 'skipped' : r.failed ? 'failed' : r.emails.length === 0 && dueAt(r) ? 'sent nothing while due' : undefined;
const stallCounts: Record<string, number> = {};
// Streaks of stalled completed runs; killed runs in between neither extend nor end one. A streak's
// simulated minutes run from its first stalled run to the run that ended it. The jump from the kill
// phase to the settling runs (a day or more) is no stall: a streak still open at the last run of the
// kill phase is closed there, and settling runs form streaks of their own.
let longest = { runs: 0, spanned: 0, minutes: 0, from: -1 };
let streak: { start: number; judged: number } | undefined;
const closeStreak = (endRun: RunRecord, inclusive: boolean) => {
  if (!streak) return;
  const minutes = (endRun.now - runs[streak.start]!.now) / MIN;
  if (minutes > longest.minutes || (minutes === longest.minutes && streak.judged > longest.runs)) {
    longest = { runs: streak.judged, spanned: endRun.index - streak.start + (inclusive ? 1 : 0), minutes, from: streak.start };
  }
  streak = undefined;
};
for (const r of runs) {
  if (r.phase === 'settle' && r.index > 0 && runs[r.index - 1]!.phase !== 'settle') closeStreak(runs[r.index - 1]!, true);
  if (!judged(r)) continue;
  const cause = stallCause(r);
  if (cause) {
    stallCounts[cause] = (stallCounts[cause] ?? 0) + 1;
    streak ??= { start: r.index, judged: 0 };
    streak.judged += 1;
  } else closeStreak(r, false);
}
closeStreak(runs.at(-1)!, true);
// Longest wait of a delivered story from the first run at which it was due, counted in completed
// runs (a run of kills is no fault of the product) within the kill phase; pairs delivered only by
// the settling runs are counted apart: the backlog the kill phase left.
let longestWait = { completed: 0, runs: 0, minutes: 0, what: '' };
let deliveredBySettling = 0;
for (const [s, sub] of SUBS.entries()) {
  for (const { story, run: at } of firstDelivery.get(sub.email) ?? []) {
    if (runs[at]!.phase === 'settle') {
      deliveredBySettling += 1;
      continue;
    }
    let due = story.firstRun;
    while (due < at && !scheduleDue[s]![due]) due += 1;
    let completed = 0;
    for (let r = due; r < at; r++) if (judged(runs[r]!)) completed += 1;
    const minutes = (runs[at]!.now - runs[due]!.now) / MIN;
    if (completed > longestWait.completed || (completed === longestWait.completed && minutes > longestWait.minutes)) {
      longestWait = { completed, runs: at - due, minutes, what: `${sub.email} ${story.id}: due at run ${due}, delivered at run ${at}` };
    }
  }
}

// ---------------------------------------------------------------- report

const n = (x: number) => x.toLocaleString('en-US');
const byPhase = (p: RunPhase) => runs.filter((r) => r.phase === p);
const killLanded = (where: RunRecord['killLanded']) => runs.filter((r) => r.killLanded === where).length;
const killAttempts = byPhase('kill');
const exitedBeforeKill = killAttempts.filter((r) => !r.killed);
const c = calibrated();
const matching = stories.filter((s) => s.topics.length > 0);
const wallS = (performance.now() - started) / 1000;
const settle = byPhase('settle');
const settled = settle.length >= 2 && settle.slice(-2).every((r) => !r.failed && !r.skipped && r.emails.length === 0);
const partialFiles = runs.reduce((x, r) => x + r.partial, 0);

console.log(`\nchaos: store ${STORE}, seed ${SEED}, ${FEEDS} feeds, ${TOPICS.length} topics, ${SUBS.length} subscribers (4 immediate, 4 hourly, 4 daily); Node ${process.version}`);
console.log(`simulated time ${new Date(T0).toISOString()} → ${new Date(runs.at(-1)!.now).toISOString()}; wall time ${wallS.toFixed(0)} s`);
console.log(`normal run (median of recent clean runs): first feed request ${(c.firstRequestMs / 1000).toFixed(2)} s after spawn, exit ${(c.cycleMs / 1000).toFixed(2)} s after that`);
console.log('');
console.log(
  `kills                ${n(kills)}  (landed: start-up ${killLanded('start-up')}, cycle before any email ${killLanded('cycle')}, sending ${killLanded('send')}; ` +
    `${exitedBeforeKill.length} more runs exited before their kill, ${exitedBeforeKill.filter((r) => r.skipped).length} of them "skipped")`,
);
console.log(`runs                 ${n(runs.length)}  (calibration ${byPhase('calibrate').length}, kill attempts ${killAttempts.length}, clean between kills ${byPhase('between').length}, settling ${settle.length}${settled ? '' : `, NOT SETTLED: still sending after ${settle.length} settling runs`}${wedged ? ', WEDGED: the data directory stayed busy' : ''})`);
console.log(`stories published    ${n(stories.length)}  (${n(matching.length)} matching a topic, ${n(stories.filter((s) => s.old).length)} of them 10 days old, ${n(crossPosts)} cross-posted)`);
console.log(
  `emails               ${n(emailCount)}${inconsistent ? `  (${inconsistent} whose parts or X-Newshound-Items disagree)` : ''}` +
    `${partialFiles ? `; ${partialFiles} temporary .eml.tmp files left in the outbox by killed runs` : ''}`,
);
console.log(`expected deliveries  ${n(expected)}`);
console.log(`delivered            ${n(delivered)}`);
console.log(`lost                 ${n(lost)}${lost ? `  (${lostEverywhere} of them for a story nobody got)` : ''}`);
console.log(`duplicated           ${n(duplicatedPairs)}${duplicatedPairs ? `  (${n(extraCopies)} extra copies)` : ''}`);
console.log(`unexpected           ${n(unexpected)}${unknownRecipient ? `  (${unknownRecipient} emails to unknown addresses)` : ''}`);
const stallTotal = Object.values(stallCounts).reduce((a, b) => a + b, 0);
console.log(
  `stalls               ${n(stallTotal)} of ${runs.filter(judged).length} completed runs${stallTotal ? ` (${Object.entries(stallCounts).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}`,
);
console.log(
  `longest stall        ${longest.runs} completed runs (${longest.spanned} runs in all, from run ${longest.from}), ${longest.minutes.toFixed(0)} simulated minutes`,
);
console.log(
  `longest wait         ${longestWait.completed} completed runs (${longestWait.runs} runs in all, ${longestWait.minutes.toFixed(0)} simulated minutes) from due to delivered, in the kill phase` +
    `${longestWait.what ? ` (${longestWait.what})` : ''}; ${n(deliveredBySettling)} deliveries came only in the settling runs`,
);
const repairs = runs.flatMap((r) => r.repairs);
if (repairs.length) console.log(`product repairs      ${repairs.length} reported by the runs, e.g. ${repairs[0]}`);
const failures = runs.filter((r) => r.failed);
if (failures.length) console.log(`failed runs          ${failures.length}: e.g. run ${failures[0]!.index}: ${failures[0]!.error}`);
for (const [title, list] of [
  ['lost, e.g.', lostExamples],
  ['duplicated, e.g.', dupExamples],
  ['unexpected, e.g.', unexpectedExamples],
  ['inconsistent emails, e.g.', inconsistentExamples],
] as const) {
  if (list.length) console.log(`\n${title}\n  ${list.join('\n  ')}`);
}
const bad = lost > 0 || duplicatedPairs > 0 || unexpected > 0 || wedged;
console.log(`\ntarget: 0 lost, 0 duplicated over ${STORE === 'embedded' ? 200 : 50} kills → ${bad ? 'MISS' : kills >= (STORE === 'embedded' ? 200 : 50) ? 'met' : `met, but only ${kills} kills`}`);
if (opts.keep) console.log(`kept: ${workDir} (runs.jsonl: one line per run)`);
else rmSync(workDir, { recursive: true, force: true });
process.exit(bad ? 1 : 0);
