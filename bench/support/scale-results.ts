// What bench/scale.ts measures and bench/cost-model.ts prices: written to bench/results/scale.json.

export const SCALE_RESULTS_URL = new URL('../results/scale.json', import.meta.url);

/** Means per call of one kind of work (a poll with one outcome, a dispatch, a sender run). */
export interface WorkCost {
  /** How many were measured. */
  count: number;
  /** DynamoDB requests: p50, max, mean. */
  requests: { p50: number; max: number; mean: number };
  /** Mean DynamoDB requests by operation (GetItem, PutItem, Query, ...). */
  byOperation: Record<string, number>;
  /** Mean table capacity units as the engine reports them (ReturnConsumedCapacity TOTAL; no index writes). */
  readUnits: number;
  writeUnits: number;
  /** Mean store calls by method (putFeedState, recordStory, putHit, markHitsSent, ...): index writes follow from them. */
  storeCalls: Record<string, number>;
  /** Wall time of the call in this process: p50, mean, max (ms). */
  ms: { p50: number; mean: number; max: number };
  /** Mean bytes of the log lines the call wrote (JSON, before any Lambda/Powertools context). */
  logBytes: number;
  logLines: number;
}

interface ShapeRow {
  shape: string;
  feeds: number;
  gapMinutes: number;
  polls: number;
  pollsPerFeedDay: number;
  fixedPerFeedDay: number;
  /** The interval the feeds of this shape had after their last poll (minutes). */
  intervalMinutes: { min: number; max: number };
}

export interface ScaleResults {
  generatedAt: string;
  node: string;
  feeds: number;
  hours: number;
  workers: number;
  wallSeconds: number;
  polls: number;
  pollsPerSecond: number;
  /** After the first two steps (every feed's first poll). */
  steadyPollsPerSecond: number;
  /** Keyed by outcome: `304`, `200 nothing new`, `200 new items`, `first poll`, `failed`. */
  outcomes: Record<string, WorkCost>;
  /** Polls by outcome after each feed's first poll (the steady mix). */
  steadyMix: Record<string, number>;
  pollsPerFeedDay: number;
  /** Polls after each feed's first, per feed per simulated day: what a month of running costs. */
  steadyPollsPerFeedDay: number;
  shapes: ShapeRow[];
  /** Per minute, after the first dispatch (which seeds every feed) and the first sender run. */
  dispatch: WorkCost;
  /** The first dispatch: gives every feed a state (what a new dispatcher container does, then hourly). */
  firstDispatch: WorkCost;
  sender: WorkCost;
  /** Sender runs that sent nothing, and what each email added over such a run (means). */
  senderIdle: WorkCost;
  senderPerEmail: { emails: number; requests: number; readUnits: number; writeUnits: number; updates: number };
  /** After each feed's first poll. */
  steadyNewStoriesPerFeedDay: number;
  steadyHitsPerFeedDay: number;
  /** Jobs queued per dispatch (mean) after the first. */
  jobsPerDispatch: number;
  /** The bench's subscribers: immediate, and hourly or daily (their hits wait, held, for the digest's slot). */
  subscribers: { immediate: number; held: number };
  emails: number;
  hits: number;
  newStories: number;
}
