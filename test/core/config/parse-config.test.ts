import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lambda/core/config/config-error.ts';
import { parseConfig } from '../../../lambda/core/config/parse-config.ts';

const minimal = `
feeds:
  - url: https://www3.nhk.or.jp/rss/news/cat0.xml
topics:
  - id: pla-cyber
    name: PLA cyber operations
    query: '"Unit 61419" OR JAXA'
mail:
  from: Newshound Alerts <alerts@example.com>
`;

function problemsOf(text: string): string[] {
  try {
    parseConfig(text, 'newshound.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('fills every documented default from a minimal file', () => {
    const config = parseConfig(minimal, 'newshound.yaml');

    expect(config.subscribers).toEqual([]);
    expect(config.mail.dailyAt).toBe('08:00');
    expect(config.fetch).toEqual({
      timeoutSeconds: 10,
      maxBytes: 5_000_000,
      concurrency: 8,
      maxItemAgeDays: 7,
      allowPrivateNetworks: false,
      maxItemsPerFeed: 500,
    });
    expect(config.mail.maxStoriesPerDigest).toBe(100);
    expect(config.retention.days).toBe(90);
    expect(config.schedule.pollMinutes).toBe(10);
  });

  it('refuses bounds past what a stored item can hold, naming the field', () => {
    expect(() => parseConfig(`${minimal}fetch:\n  maxItemsPerFeed: 5000\n`, 'f.yaml')).toThrow(/fetch\.maxItemsPerFeed/);
    expect(() => parseConfig(minimal.replace('mail:\n', 'mail:\n  maxStoriesPerDigest: 1000\n'), 'f.yaml')).toThrow(/mail\.maxStoriesPerDigest/);
  });

  it('defaults a subscriber to immediate digests in UTC', () => {
    const config = parseConfig(`${minimal}subscribers:\n  - email: analyst@example.com\n    topics: [pla-cyber]\n`, 'f.yaml');

    expect(config.subscribers[0]).toEqual({
      email: 'analyst@example.com',
      topics: ['pla-cyber'],
      frequency: 'immediate',
      timezone: 'UTC',
    });
  });

  it('rejects an unknown key as a likely typo, naming its path', () => {
    const problems = problemsOf(minimal.replace('mail:\n', 'mail:\n  dailyat: "09:00"\n'));

    expect(problems).toEqual(['mail.dailyat: unknown key (typo?)']);
  });

  it('names each missing required field', () => {
    const problems = problemsOf('feeds:\n  - url: https://example.com/feed\n');

    expect(problems).toContain('topics: required');
    expect(problems).toContain('mail: required');
  });

  it('names the subscriber field that points at an unknown topic', () => {
    const problems = problemsOf(`${minimal}subscribers:\n  - email: a@example.com\n    topics: [pla-cyber, jaxa]\n`);

    expect(problems).toEqual(['subscribers[0].topics[1]: unknown topic "jaxa"']);
  });

  it('rejects a time zone that is not in the IANA database', () => {
    const problems = problemsOf(`${minimal}subscribers:\n  - email: a@example.com\n    topics: [pla-cyber]\n    timezone: Tokyo/Japan\n`);

    expect(problems).toEqual(['subscribers[0].timezone: not an IANA time zone (e.g. Asia/Tokyo)']);
  });

  it('rejects duplicate topic ids and a malformed id', () => {
    const text = minimal.replace('topics:\n', 'topics:\n  - id: pla-cyber\n    name: Again\n    query: x\n  - id: Bad_Id\n    name: B\n    query: y\n');

    const problems = problemsOf(text);

    expect(problems).toContain('topics[1].id: must match [a-z0-9-]+');
    expect(problems).toContain('topics[2].id: duplicate topic id "pla-cyber"');
  });

  it('rejects a feed URL that is not http(s)', () => {
    const problems = problemsOf(minimal.replace('https://www3.nhk.or.jp/rss/news/cat0.xml', 'file:///etc/passwd'));

    expect(problems).toEqual(['feeds[0].url: must be an http(s) URL']);
  });

  it('rejects dailyAt that is not HH:MM', () => {
    const problems = problemsOf(minimal.replace('mail:\n', 'mail:\n  dailyAt: "8am"\n'));

    expect(problems).toEqual(['mail.dailyAt: must be HH:MM (24-hour)']);
  });

  it('reports YAML syntax errors with the file name', () => {
    expect(() => parseConfig('feeds: [\n', 'broken.yaml')).toThrow(/broken\.yaml: invalid configuration\n {2}- YAML:/);
  });
});
