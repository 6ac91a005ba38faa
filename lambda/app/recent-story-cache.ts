import type { RecentStory } from '../core/domain/recent-story.ts';
import type { Clock } from '../core/ports/clock.ts';
import type { RecentStoryReader } from '../core/ports/recent-stories.ts';

/** The preview looks this far back (README, "Personal alerts"). */
export const PREVIEW_DAYS = 7;
const DAY_MS = 86_400_000;

/**
 * Each refresh reads again the last few minutes before the newest story held: a worker that
 * recorded a story earlier but wrote it later than another worker still gets it into the cache.
 * The duplicates this reads are dropped by key.
 */
const OVERLAP_MS = 5 * 60_000;

export interface RecentStoryCacheOptions {
  /** A preview within this long of the last refresh uses the stories held (default 5 s). */
  minRefreshMs?: number;
}

/**
 * The last PREVIEW_DAYS of recent stories in memory, one cache per process (per Lambda container):
 * the first preview reads the whole week (one Query per UTC day), later ones only what was
 * written since (`after` = the newest story held), so a preview costs one or two small Queries
 * at most, none within `minRefreshMs` of the previous one. Stories older than the week are dropped.
 */
export class RecentStoryCache {
  // Only the stories themselves: a second (folded) copy of the text would double the memory a
  // week of stories takes in the api function.
  private held: RecentStory[] = [];
  private readonly keys = new Set<string>();
  private refreshedAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | undefined;
  private readonly minRefreshMs: number;

  constructor(
    private readonly reader: RecentStoryReader,
    private readonly clock: Clock,
    options: RecentStoryCacheOptions = {},
  ) {
    this.minRefreshMs = options.minRefreshMs ?? 5_000;
  }

  /** The stories of the last PREVIEW_DAYS, oldest first (a snapshot: later refreshes never change it). */
  async stories(): Promise<readonly RecentStory[]> {
    const now = this.clock.now();
    if (now.getTime() - this.refreshedAt >= this.minRefreshMs) {
      // Concurrent previews share one read.
      this.refreshing ??= this.refresh(now).finally(() => {
        this.refreshing = undefined;
      });
      await this.refreshing;
    }
    this.dropBefore(new Date(now.getTime() - PREVIEW_DAYS * DAY_MS).toISOString());
    return this.held;
  }

  private async refresh(now: Date): Promise<void> {
    const weekAgo = now.getTime() - PREVIEW_DAYS * DAY_MS;
    const newest = this.held[this.held.length - 1];
    const from = newest ? Math.max(weekAgo, Date.parse(newest.firstSeenAt) - OVERLAP_MS) : weekAgo;
    const fresh = await this.reader.recentStories(new Date(from).toISOString(), now);
    const added: RecentStory[] = [];
    for (const story of fresh) {
      if (this.keys.has(story.key)) continue;
      this.keys.add(story.key);
      added.push(story);
    }
    if (added.length > 0) {
      this.held = [...this.held, ...added].sort((a, b) => compare(a.firstSeenAt, b.firstSeenAt));
    }
    this.refreshedAt = now.getTime();
  }

  private dropBefore(cutoff: string): void {
    let stale = 0;
    while (stale < this.held.length && (this.held[stale] as RecentStory).firstSeenAt <= cutoff) stale++;
    if (stale === 0) return;
    for (const story of this.held.slice(0, stale)) this.keys.delete(story.key);
    this.held = this.held.slice(stale);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
