import iconv from 'iconv-lite';
import { encodingForLabel } from './charset-labels.ts';

function canonicalLabel(label: string): string | undefined {
  return encodingForLabel(label)?.codec;
}

function fromBom(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

function fromXmlDeclaration(bytes: Buffer): string | undefined {
  // UTF-16 without a BOM announces itself by how `<?` is laid out.
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return 'utf-16le';
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return 'utf-16be';
  const head = bytes.subarray(0, 512).toString('latin1');
  const match = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  const codec = match?.[1] ? canonicalLabel(match[1]) : undefined;
  // A declaration readable as ASCII is not in UTF-16, whatever it says (as browsers reason for HTML).
  return codec?.startsWith('utf-16') ? 'utf-8' : codec;
}

function fromContentType(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*("[^"]*"|[^;\s]+)/i.exec(contentType ?? '');
  return match?.[1] ? canonicalLabel(match[1]) : undefined;
}

/**
 * The encoding a feed body is in: a BOM first (RFC 7303 §3.2: it overrides the charset parameter,
 * since servers often label everything UTF-8), then the Content-Type charset, then the XML
 * declaration, else UTF-8.
 */
function detectCharset(bytes: Buffer, contentType?: string): string {
  return fromBom(bytes) ?? fromContentType(contentType) ?? fromXmlDeclaration(bytes) ?? 'utf-8';
}

/** The body as a string in the detected encoding, without a BOM. */
export function decodeFeedBody(bytes: Buffer, contentType?: string): { text: string; charset: string } {
  const charset = detectCharset(bytes, contentType);
  const text = iconv.encodingExists(charset)
    ? iconv.decode(bytes, charset, { stripBOM: true })
    : new TextDecoder(charset).decode(bytes);
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, charset };
}
