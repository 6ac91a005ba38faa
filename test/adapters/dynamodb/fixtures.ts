import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../lambda/core/ports/clock.ts';
import type { DigestRecord } from '../../../lambda/core/domain/digest-record.ts';
import type { FeedState } from '../../../lambda/core/domain/feed-state.ts';
import type { Hit } from '../../../lambda/core/domain/hit.ts';
import type { StoryRecord } from '../../../lambda/core/domain/story.ts';
import type { Subscriber } from '../../../lambda/core/domain/subscriber.ts';

// Builders for the store contract tests. Every test works on fresh random ids, so the suites can
// share one table per engine.

export const T0 = new Date('2025-03-01T09:00:00Z');
export const DAY_SECONDS = 86_400;
export const epoch = (at: Date) => Math.floor(at.getTime() / 1000);

export interface MovableClock extends Clock {
  set(at: Date): void;
  advanceSeconds(seconds: number): void;
}

export function movableClock(start: Date = T0): MovableClock {
  let current = new Date(start.getTime());
  return {
    now: () => new Date(current.getTime()),
    set: (at) => (current = new Date(at.getTime())),
    advanceSeconds: (seconds) => (current = new Date(current.getTime() + seconds * 1000)),
  };
}

export const unique = (prefix: string) => `${prefix}-${randomUUID()}`;

export function feedState(overrides: Partial<FeedState> = {}): FeedState {
  return {
    feedUrl: `https://feeds.example.com/${unique('feed')}.xml`,
    consecutiveFailures: 0,
    recentKeyHashes: [],
    newItemTimes: [],
    ...overrides,
  };
}

export function story(overrides: Partial<StoryRecord> = {}): StoryRecord {
  return {
    key: `https://news.example.com/${unique('story')}`,
    title: 'JAXA launches H3',
    url: 'https://news.example.com/h3',
    publishedAt: '2025-03-01T08:00:00.000Z',
    firstSeenAt: T0.toISOString(),
    sources: ['NHK News'],
    expiresAt: epoch(T0) + 90 * DAY_SECONDS,
    ...overrides,
  };
}

export function hit(overrides: Partial<Hit> = {}): Hit {
  return {
    subscriberId: unique('sub'),
    storyKey: `https://news.example.com/${unique('story')}`,
    topicIds: ['space'],
    title: 'JAXA launches H3',
    url: 'https://news.example.com/h3',
    source: 'NHK News',
    publishedAt: '2025-03-01T08:00:00.000Z',
    snippet: { text: '… JAXA said on Saturday …', marks: [[2, 6]] },
    titleMarks: [[0, 4]],
    reasons: [{ topicId: 'space', terms: ['JAXA'], fields: ['title', 'text'], feedUrl: 'https://nhk.example/rss.xml' }],
    createdAt: T0.toISOString(),
    status: 'pending',
    expiresAt: epoch(T0) + 90 * DAY_SECONDS,
    ...overrides,
  };
}

export function digest(overrides: Partial<DigestRecord> = {}): DigestRecord {
  return {
    subscriberId: unique('sub'),
    digestId: `daily-${unique('d')}`,
    state: 'claimed',
    storyKeys: ['https://news.example.com/a', 'https://news.example.com/b'],
    claimedAt: T0.toISOString(),
    expiresAt: epoch(T0) + 90 * DAY_SECONDS,
    ...overrides,
  };
}

export function subscriber(overrides: Partial<Subscriber> = {}): Subscriber {
  const id = unique('sub');
  return {
    id,
    email: `${id}@example.com`,
    topics: ['space'],
    frequency: 'daily',
    timezone: 'Asia/Tokyo',
    status: 'active',
    source: 'config',
    createdAt: T0.toISOString(),
    updatedAt: T0.toISOString(),
    ...overrides,
  };
}
