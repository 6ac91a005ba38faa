import type { Hit } from '../../../lambda/core/domain/hit.ts';

/** A pending hit with sensible defaults; override what the test is about. */
export function makeHit(overrides: Partial<Hit> = {}): Hit {
  return {
    subscriberId: 'sub-1',
    storyKey: 'https://news.example.com/jaxa-launch',
    topicIds: ['space'],
    title: 'JAXA launches H3 rocket',
    url: 'https://news.example.com/jaxa-launch?utm_source=rss',
    source: 'NHK News',
    publishedAt: '2026-11-28T04:45:00.000Z',
    snippet: { text: 'The JAXA H3 rocket lifted off from Tanegashima.', marks: [[4, 8]] },
    titleMarks: [[0, 4]],
    reasons: [{ topicId: 'space', terms: ['JAXA'], fields: ['title', 'text'], feedUrl: 'https://nhk.example.com/rss.xml' }],
    createdAt: '2026-11-28T05:00:00.000Z',
    status: 'pending',
    expiresAt: 1_900_000_000,
    ...overrides,
  };
}

export const topics = [
  { id: 'pla-cyber', name: 'PLA cyber operations' },
  { id: 'space', name: 'JAXA' },
];
