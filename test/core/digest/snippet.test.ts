import { describe, expect, it } from 'vitest';
import { makeSnippet, marksFor } from '../../../lambda/core/digest/snippet.ts';

const marked = (s: { text: string; marks: Array<[number, number]> }) => s.marks.map(([a, b]) => s.text.slice(a, b));

describe('makeSnippet', () => {
  it('keeps a short text whole with marks where the spans are', () => {
    const text = 'JAXA said the H3 rocket will fly.';

    const snippet = makeSnippet(text, [{ start: 0, end: 4 }]);

    expect(snippet.text).toBe(text);
    expect(marked(snippet)).toEqual(['JAXA']);
  });

  it('cuts a long text around the first match at word boundaries with ellipses', () => {
    // Prepare
    const before = 'Lorem ipsum dolor sit amet consectetur '.repeat(20);
    const after = ' adipiscing elit sed do eiusmod tempor'.repeat(20);
    const text = `${before}Unit 61419${after}`;
    const start = before.length;

    // Act
    const snippet = makeSnippet(text, [{ start, end: start + 10 }], 120);

    // Assess
    expect(snippet.text.length).toBeLessThanOrEqual(120);
    expect(snippet.text.startsWith('…')).toBe(true);
    expect(snippet.text.endsWith('…')).toBe(true);
    expect(marked(snippet)).toEqual(['Unit 61419']);
    const inner = snippet.text.slice(1, -1);
    expect(text.includes(inner)).toBe(true);
    // Word boundaries: the window neither starts nor ends inside a word.
    const at = text.indexOf(inner);
    expect(text[at - 1]).toMatch(/\s/);
    expect(text[at + inner.length]).toMatch(/\s/);
  });

  it('starts after a sentence end when one is close before the match', () => {
    const text = `${'Filler words here. '.repeat(30)}Officials said. JAXA confirmed the launch ${'and more '.repeat(40)}`;
    const start = text.indexOf('JAXA');

    const snippet = makeSnippet(text, [{ start, end: start + 4 }], 200);

    expect(snippet.text).toMatch(/^…(Filler words here\.|Officials said\.)/);
    expect(marked(snippet)).toEqual(['JAXA']);
  });

  it('merges overlapping and touching spans into one mark', () => {
    const text = 'The Unit 61419 hackers';

    const snippet = makeSnippet(text, [
      { start: 4, end: 8 },
      { start: 6, end: 14 },
      { start: 14, end: 22 },
    ]);

    expect(snippet.marks).toEqual([[4, 22]]);
  });

  it('cuts CJK text without spaces near the match and never splits a surrogate pair', () => {
    const text = `${'宇宙開発の話題です。'.repeat(40)}宇宙航空研究開発機構が発表${'𠮷野家の記事'.repeat(40)}`;
    const start = text.indexOf('宇宙航空研究開発機構');

    const snippet = makeSnippet(text, [{ start, end: start + 10 }], 100);

    expect(snippet.text.length).toBeLessThanOrEqual(100);
    expect(marked(snippet)).toEqual(['宇宙航空研究開発機構']);
    expect(snippet.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });

  it('shows the beginning when nothing matched in the text (a title-only hit)', () => {
    const text = 'word '.repeat(100);

    const snippet = makeSnippet(text, [], 50);

    expect(snippet.text.startsWith('word')).toBe(true);
    expect(snippet.text.endsWith('…')).toBe(true);
    expect(snippet.marks).toEqual([]);
  });

  it('drops marks outside the window and clips one cut by it', () => {
    const text = `JAXA ${'x '.repeat(200)}end JAXA`;

    const snippet = makeSnippet(text, [{ start: 0, end: 4 }, { start: text.length - 4, end: text.length }], 60);

    expect(marked(snippet)).toEqual(['JAXA']);
  });
});

describe('marksFor', () => {
  it('sorts, clips to the text and merges spans', () => {
    expect(marksFor('JAXA news', [{ start: 5, end: 40 }, { start: 0, end: 4 }, { start: 2, end: 3 }])).toEqual([
      [0, 4],
      [5, 9],
    ]);
  });
});
