import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

/**
 * The decoder for a `Content-Encoding: deflate` body. RFC 9110 defines deflate as zlib-wrapped,
 * but many servers send raw deflate, and browsers accept both. The body's first bytes decide (a
 * zlib header: compression method 8 and a header checksum that is a multiple of 31); they are put
 * back into the stream, so the decoder still reads the body as it streams, under back-pressure.
 */
export async function createInflateFor(body: Readable): Promise<zlib.Inflate | zlib.InflateRaw> {
  const first = await peek(body);
  const cmf = first?.[0] ?? 0;
  const flg = first?.[1] ?? 0;
  const zlibWrapped = (cmf & 0x0f) === 8 && ((cmf << 8) | flg) % 31 === 0;
  return zlibWrapped ? zlib.createInflate() : zlib.createInflateRaw();
}

/** The first chunk of the body, put back at once (before a last chunk's `end` can be emitted). */
function peek(body: Readable): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const done = (): void => {
      body.off('readable', done);
      body.off('end', done);
      body.off('error', done);
      const chunk = body.read() as Buffer | null;
      if (chunk !== null) body.unshift(chunk);
      resolve(chunk);
    };
    body.once('readable', done);
    body.once('end', done);
    // An error reaches the caller through the pipeline that reads the body next.
    body.once('error', done);
  });
}
