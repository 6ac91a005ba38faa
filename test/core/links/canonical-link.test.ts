import { describe, expect, it } from 'vitest';
import { canonicalLink, entryKey } from '../../../lambda/core/links/canonical-link.ts';

describe('canonicalLink', () => {
  it('lower-cases the scheme and the host but keeps the path as written', () => {
    expect(canonicalLink('HTTPS://News.Example.COM/World/Story-A')).toBe('https://news.example.com/World/Story-A');
  });

  it('removes the default port of the scheme', () => {
    expect(canonicalLink('http://example.com:80/a')).toBe('http://example.com/a');
    expect(canonicalLink('https://example.com:443/a')).toBe('https://example.com/a');
  });

  it('keeps a port that is not the default', () => {
    expect(canonicalLink('https://example.com:8443/a')).toBe('https://example.com:8443/a');
  });

  it('removes the fragment', () => {
    expect(canonicalLink('https://example.com/a#comments')).toBe('https://example.com/a');
  });

  it('removes utm_*, fbclid, gclid, mc_cid and mc_eid', () => {
    const link = 'https://example.com/a?utm_source=rss&utm_medium=feed&UTM_Campaign=x&fbclid=1&gclid=2&mc_cid=3&mc_eid=4';
    expect(canonicalLink(link)).toBe('https://example.com/a');
  });

  it('keeps parameters that are not tracking, sorted by key then value', () => {
    expect(canonicalLink('https://example.com/a?b=2&a=9&utm_source=x&a=1')).toBe('https://example.com/a?a=1&a=9&b=2');
  });

  it('drops an empty query string', () => {
    expect(canonicalLink('https://example.com/a?')).toBe('https://example.com/a');
  });

  it('resolves a relative link against the base', () => {
    expect(canonicalLink('/news/1?utm_source=x', 'https://Example.com/feed.xml')).toBe('https://example.com/news/1');
  });

  it('gives the same identity to links that differ only in what the rules remove', () => {
    const a = canonicalLink('HTTP://www.example.com:80/story?id=7&utm_source=twitter#top');
    const b = canonicalLink('http://www.example.com/story?fbclid=abc&id=7');
    expect(a).toBe(b);
  });

  it('returns undefined for non-http(s) or unparseable links', () => {
    expect(canonicalLink('javascript:alert(1)')).toBeUndefined();
    expect(canonicalLink('data:text/html,hi')).toBeUndefined();
    expect(canonicalLink('mailto:a@example.com')).toBeUndefined();
    expect(canonicalLink('not a url')).toBeUndefined();
  });

  describe('does not merge different stories', () => {
    it.each([
      ['path case', 'https://example.com/Story', 'https://example.com/story'],
      ['scheme', 'http://example.com/a', 'https://example.com/a'],
      ['www host', 'https://www.example.com/a', 'https://example.com/a'],
      ['trailing slash', 'https://example.com/a', 'https://example.com/a/'],
      ['non-tracking parameter value', 'https://example.com/a?id=1', 'https://example.com/a?id=2'],
      ['a parameter that only looks like tracking', 'https://example.com/a?utm=1', 'https://example.com/a'],
      ['non-default port', 'https://example.com:8443/a', 'https://example.com/a'],
    ])('%s', (_rule, a, b) => {
      expect(canonicalLink(a)).not.toBe(canonicalLink(b));
    });
  });
});

describe('entryKey', () => {
  const feed = 'https://example.com/feed.xml';

  it('is the canonical link when the entry has one', () => {
    expect(entryKey({ link: 'https://example.com/a?utm_source=x', guid: 'g1', title: 'T' }, feed)).toBe('https://example.com/a');
  });

  it('is the feed URL plus the guid when there is no usable link', () => {
    const key = entryKey({ guid: 'item-42', title: 'T' }, feed);
    expect(key).toContain(feed);
    expect(key).toContain('item-42');
    expect(entryKey({ link: 'javascript:void(0)', guid: 'item-42' }, feed)).toBe(key);
  });

  it('separates the same guid in two feeds', () => {
    expect(entryKey({ guid: '1' }, 'https://a.example/feed')).not.toBe(entryKey({ guid: '1' }, 'https://b.example/feed'));
  });

  it('is the title plus the date when there is neither link nor guid', () => {
    const a = entryKey({ title: 'Ｆｌａｓｈ:  JAXA', date: '2024-05-14T03:00:00.000Z' }, feed);
    const b = entryKey({ title: 'Flash: JAXA', date: '2024-05-14T03:00:00.000Z' }, feed);
    const c = entryKey({ title: 'Flash: JAXA', date: '2024-05-15T03:00:00.000Z' }, feed);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('is at most 500 UTF-8 bytes: a longer key becomes the SHA-256 of it, the same for the same entry', () => {
    const guid = '宇宙'.repeat(100); // 600 bytes of UTF-8 in the key
    const key = entryKey({ guid }, feed);

    expect(key).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(entryKey({ guid }, feed)).toBe(key);
    expect(entryKey({ guid: `${guid}!` }, feed)).not.toBe(key);
    expect(entryKey({ guid: '宇宙'.repeat(50) }, feed)).toBe(`guid:${feed} ${'宇宙'.repeat(50)}`);
  });
});
