import { countNoun } from '../../app/count-noun.ts';
import { neutraliseControls } from '../../core/digest/safe-text.ts';
import { compileTopics } from '../../core/query/compile-topics.ts';
import { QueryError } from '../../core/query/query-error.ts';
import { normalizeText } from '../../core/text/normalize-text.ts';

interface MatchIo {
  stdin: NodeJS.ReadableStream;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const EXIT_MATCHED = 0;
const EXIT_NO_MATCH = 1;
const EXIT_BAD_QUERY = 2;
/** Characters of context shown either side of a span. */
const CONTEXT = 30;

/**
 * `newshound match 'QUERY' [TEXT]`: tests a query against TEXT (or stdin) like grep: exit 0 when it
 * matches (each span printed with the match bracketed), 1 when not, 2 when the query does not parse.
 */
export async function matchCommand(query: string, text: string | undefined, io: MatchIo): Promise<number> {
  let matcher: ReturnType<typeof compileTopics>;
  try {
    matcher = compileTopics([{ id: 'query', query }]);
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    io.stderr(`newshound match: the query does not parse: at ${err.position}: ${err.reason}`);
    io.stderr(`  ${oneLine(query)}`);
    io.stderr(`  ${' '.repeat(err.position)}^`);
    return EXIT_BAD_QUERY;
  }
  const input = normalizeText(text ?? (await readAll(io.stdin)));
  const [match] = matcher.match({ title: '', text: input, categories: [] });
  if (match === undefined) {
    io.stdout('no match');
    return EXIT_NO_MATCH;
  }
  io.stdout(`matched: ${countNoun(match.spans.length, 'span')}`);
  for (const span of match.spans) {
    io.stdout(`  ${span.term}  ${span.start}-${span.end}  ${excerpt(input, span.start, span.end)}`);
  }
  return EXIT_MATCHED;
}

/** The span bracketed in a window of its context, on one line. */
function excerpt(text: string, start: number, end: number): string {
  const from = Math.max(0, start - CONTEXT);
  const to = Math.min(text.length, end + CONTEXT);
  const before = `${from > 0 ? '…' : ''}${text.slice(from, start)}`;
  const after = `${text.slice(end, to)}${to < text.length ? '…' : ''}`;
  return oneLine(`${before}[${text.slice(start, end)}]${after}`);
}

/**
 * Control characters (newlines, escapes) would break the layout or drive the terminal, and bidi
 * controls reorder what is shown (docs/cli.md, "Terminal output"). Length-preserving, so the caret
 * under a bad query still points at its position.
 */
const oneLine = neutraliseControls;

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
