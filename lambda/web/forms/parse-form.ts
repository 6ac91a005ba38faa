/** Largest accepted request body: the subscribe form with every topic ticked is far below it. */
export const MAX_BODY_BYTES = 8 * 1024;

/** Why a body was refused; the router maps `too-large` to 413 and the rest to 400. */
export class FormError extends Error {
  override readonly name = 'FormError';
  constructor(
    readonly kind: 'too-large' | 'content-type' | 'malformed',
    message: string,
  ) {
    super(message);
  }
}

/** Field name → every value sent for it, in order. */
export type FormFields = Map<string, string[]>;

/**
 * Parses an `application/x-www-form-urlencoded` body strictly: a body over MAX_BODY_BYTES, another
 * content type, bytes that are not UTF-8 or a broken percent-escape is refused, never guessed at
 * (URLSearchParams would silently substitute U+FFFD and accept anything).
 */
export function parseForm(body: string | Buffer, contentType: string | undefined): FormFields {
  const bytes = assertBodySize(body);
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/x-www-form-urlencoded') {
    throw new FormError('content-type', 'the request must be a form (application/x-www-form-urlencoded)');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FormError('malformed', 'the request body is not valid UTF-8');
  }
  const fields: FormFields = new Map();
  if (text === '') return fields;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const values = fields.get(name);
    if (values) values.push(value);
    else fields.set(name, [value]);
  }
  return fields;
}

/** The body as bytes; FormError('too-large') past MAX_BODY_BYTES, whatever its type. */
export function assertBodySize(body: string | Buffer): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (bytes.length > MAX_BODY_BYTES) throw new FormError('too-large', `the request body is over ${MAX_BODY_BYTES} bytes`);
  return bytes;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    throw new FormError('malformed', 'the request body has a broken percent-escape');
  }
}

/** The single value of a field; undefined when absent; a FormError when sent twice. */
export function singleField(fields: FormFields, name: string): string | undefined {
  const values = fields.get(name);
  if (values === undefined) return undefined;
  if (values.length > 1) throw new FormError('malformed', `the field "${name}" was sent more than once`);
  return values[0];
}
