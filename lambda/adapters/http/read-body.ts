import type { IncomingMessage } from 'node:http';
import { pipeline, type Readable, type Transform } from 'node:stream';
import zlib from 'node:zlib';
import { FeedError } from '../../core/errors/feed-error.ts';
import { createInflateFor } from './inflate-either.ts';

async function decoderFor(encoding: string, res: IncomingMessage): Promise<Transform | undefined> {
  switch (encoding) {
    case '':
    case 'identity':
      return undefined;
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return createInflateFor(res);
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      throw new FeedError('network', `unsupported Content-Encoding: ${encoding}`);
  }
}

/**
 * Reads the response body, decoded from gzip/deflate/brotli, stopping as soon as the decoded
 * size passes `maxBytes`: a small compressed bomb is refused after at most one chunk past the cap,
 * and no more than `maxBytes` is ever kept.
 */
export async function readBody(res: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const encoding = String(res.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder = await decoderFor(encoding, res);
  const declared = Number(res.headers['content-length']);
  if (decoder === undefined && Number.isFinite(declared) && declared > maxBytes) {
    throw new FeedError('too-large', `Content-Length ${declared} exceeds the ${maxBytes}-byte cap`);
  }
  const stream: Readable = decoder ? pipeline(res, decoder, () => {}) : res;

  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      total += buf.length;
      if (total > maxBytes) {
        throw new FeedError('too-large', `body exceeds the ${maxBytes}-byte cap (decoded)`);
      }
      chunks.push(buf);
    }
  } finally {
    if (total > maxBytes || !stream.readableEnded) {
      stream.destroy();
      res.destroy();
    }
  }
  return Buffer.concat(chunks, total);
}
