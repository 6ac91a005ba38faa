import { describe, expect, it } from 'vitest';
import { compileTopics } from '../../../lambda/core/query/compile-topics.ts';
import { QueryError } from '../../../lambda/core/query/query-error.ts';
import { normalizeText } from '../../../lambda/core/text/normalize-text.ts';
import { matchText, spanTexts } from './support.ts';

const doc = (text: string, title = '', categories: string[] = []) => ({
  title: normalizeText(title),
  text: normalizeText(text),
  categories: categories.map(normalizeText),
});

describe('compileTopics', () => {
  it('returns exactly the matching topics, in configuration order', () => {
    // Prepare
    const matcher = compileTopics([
      { id: 'tick', query: '=Tick OR "BRONZE BUTLER"' },
      { id: 'jaxa', query: 'JAXA OR 宇宙航空研究開発機構' },
      { id: 'nasa', query: 'NASA' },
      { id: 'unit', query: '"Unit 61419" -NASA' },
      { id: 'hack', query: 'hack* (JAXA OR Japan)' },
      { id: 'japan-not-jaxa', query: 'Japan -JAXA' },
    ]);
    // Act
    const found = matcher.match(doc('Hackers from Unit 61419 hit JAXA', 'Tick strikes again'));
    // Assess
    expect(found.map((m) => m.topicId)).toEqual(['tick', 'jaxa', 'unit', 'hack']);
  });

  it('leaves out a query that does not parse when asked to, reporting it, and matches the others with their own terms', () => {
    // Prepare
    const left: Array<[string, number]> = [];
    const matcher = compileTopics(
      [
        { id: 'alert:broken', query: '(JAXA' },
        { id: 'alert:mine', query: 'jaxa OR h3' },
        { id: 'space', query: 'JAXA' },
      ],
      (id, error) => left.push([id, error.position]),
    );
    // Act
    const found = matcher.match(doc('JAXA launches'));
    // Assess
    expect(left).toEqual([['alert:broken', expect.any(Number)]]);
    expect(found.map((m) => [m.topicId, m.spans.map((s) => s.term)])).toEqual([
      ['alert:mine', ['jaxa']],
      ['space', ['JAXA']],
    ]);
  });

  it('matches nothing when no term occurs', () => {
    const matcher = compileTopics([{ id: 'a', query: 'JAXA' }, { id: 'b', query: '=Tick' }]);
    expect(matcher.match(doc('a tick on the clock', 'nothing here', ['misc']))).toEqual([]);
  });

  it('shares a term between topics that write it differently, and reports each as written', () => {
    // Prepare
    const matcher = compileTopics([{ id: 'upper', query: 'JAXA' }, { id: 'lower', query: 'jaxa OR nasa' }]);
    // Act
    const found = matcher.match(doc('JAXA'));
    // Assess
    expect(found).toEqual([
      { topicId: 'upper', spans: [{ field: 'text', start: 0, end: 4, term: 'JAXA' }] },
      { topicId: 'lower', spans: [{ field: 'text', start: 0, end: 4, term: 'jaxa' }] },
    ]);
  });

  it('gives spans in the title, the text and each category, offsets into the normalized strings', () => {
    // Prepare
    const d = doc('Police tie the attack to Ｕｎｉｔ　６１４１９, not to JAXA.', 'JAXAに攻撃', ['Security', 'ＪＡＸＡ']);
    const matcher = compileTopics([{ id: 't', query: '"Unit 61419" OR JAXA' }]);
    // Act
    const [found] = matcher.match(d);
    // Assess
    expect(found?.spans).toEqual([
      { field: 'title', start: 0, end: 4, term: 'JAXA' },
      { field: 'text', start: 25, end: 35, term: '"Unit 61419"' },
      { field: 'text', start: 44, end: 48, term: 'JAXA' },
      { field: 'categories', index: 1, start: 0, end: 4, term: 'JAXA' },
    ]);
    expect(spanTexts(d, found?.spans ?? [])).toEqual(['title:JAXA', 'text:Unit 61419', 'text:JAXA', 'categories:JAXA']);
  });

  it('spans a whole phrase across its punctuation, a whole prefixed word, and a CJK substring', () => {
    // Prepare
    const d = doc('Unit, 61419 hackers attacked 宇宙航空研究開発機構への');
    // Act
    const found = matchText('"Unit 61419" hack* 宇宙航空研究開発機構', d.text);
    // Assess
    expect(spanTexts(d, found?.spans ?? [])).toEqual(['text:Unit, 61419', 'text:hackers', 'text:宇宙航空研究開発機構']);
  });

  it('reports only the terms that made the query true: no negated terms, no false branches', () => {
    // Prepare
    const d = doc('JAXA and NASA and ESA');
    // Act
    const found = matchText('(JAXA Roscosmos) OR (NASA -CNSA) OR ESA', d.text);
    // Assess
    expect(spanTexts(d, found?.spans ?? [])).toEqual(['text:NASA', 'text:ESA']);
  });

  it('keeps span offsets right when case folding changes a string length', () => {
    // Prepare: İ lower-cases to two code units; the text's offsets must still be the original ones.
    const d = doc('İİ saw JAXA; İstanbul');
    // Act
    const found = matchText('jaxa İstanbul', d.text);
    // Assess
    expect(spanTexts(d, found?.spans ?? [])).toEqual(['text:JAXA', 'text:İstanbul']);
  });

  it('finds terms deep in a long field, after astral CJK and many words, with exact offsets', () => {
    // Prepare: the first occurrence of any term sits after 𠮷 (a surrogate pair) inside a CJK run.
    const filler = 'routine budget debate continues '.repeat(40);
    const text = `${filler}𠮷野家宇宙航空研究開発機構への攻撃 and then Unit 61419 again`;
    const matcher = compileTopics([
      { id: 'cjk', query: '宇宙航空研究開発機構' },
      { id: 'phrase', query: '"Unit 61419"' },
      { id: 'astral', query: '𠮷野家' },
    ]);
    // Act
    const matches = matcher.match({ title: '', text, categories: [] });
    // Assess
    expect(matches.map((m) => m.topicId)).toEqual(['cjk', 'phrase', 'astral']);
    const spans = matches.flatMap((m) => m.spans.map((sp) => text.slice(sp.start, sp.end)));
    expect(spans).toEqual(['宇宙航空研究開発機構', 'Unit 61419', '𠮷野家']);
  });

  it('keeps word boundaries after an astral letter deep in a field: 𐐨Unit is not the word Unit', () => {
    // Prepare: 𐐨 (Deseret, a letter outside the BMP) glued to the term makes one word with it.
    const filler = 'routine budget debate continues '.repeat(40);
    const matcher = compileTopics([{ id: 'unit', query: '"Unit 61419"' }]);
    // Act
    const glued = matcher.match({ title: '', text: `${filler}𐐨Unit 61419`, categories: [] });
    const apart = matcher.match({ title: '', text: `${filler}𐐨 Unit 61419`, categories: [] });
    // Assess
    expect(glued).toEqual([]);
    expect(apart.map((m) => m.topicId)).toEqual(['unit']);
  });

  it('matches nothing, and does not fail, with no topics at all', () => {
    expect(compileTopics([]).match(doc('JAXA'))).toEqual([]);
  });

  it('names the topic when its query does not parse', () => {
    // Act
    const act = () => compileTopics([{ id: 'ok', query: 'JAXA' }, { id: 'broken', query: 'JAXA OR (NASA' }]);
    // Assess
    expect(act).toThrow(QueryError);
    expect(act).toThrow('topic broken: at 13: expected ")"');
    try {
      act();
    } catch (err) {
      expect(err).toMatchObject({ topicId: 'broken', position: 13, reason: 'expected ")"' });
    }
  });
});
