/** The parsed form of a query (docs/behaviour.md, Query language). */

/** One word of a term, NFKC-normalized; Latin words are lower-cased unless the term is `=`. */
export interface TermPart {
  text: string;
  script: 'latin' | 'cjk';
  /** `hack*`: the text word only has to start with this part (only ever the last, Latin part). */
  prefix: boolean;
}

/**
 * A word, phrase or prefix. A term of one Latin part matches a whole word; of one CJK part, any
 * substring; of several parts, those words in sequence with only separators between them.
 */
export interface QueryTerm {
  /** The term as written, e.g. `"Unit 61419"`, `=Tick`, `hack*` (without a leading `-`). */
  source: string;
  caseSensitive: boolean;
  parts: TermPart[];
}

export type QueryNode =
  | { type: 'term'; term: QueryTerm; position: number }
  | { type: 'and'; children: QueryNode[] }
  | { type: 'or'; children: QueryNode[] }
  | { type: 'not'; child: QueryNode };
