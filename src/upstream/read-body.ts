/**
 * Reads a response body from the socket, decompressing gzip strictly and counting the decompressed bytes as
 * they come, so a huge or endless body is cut at the limit without being buffered whole. axios's own
 * decompression is off: it flushes leniently and hands back a truncated gzip body as if it were complete.
 */
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';

export class BodyError extends Error {
  override name = 'BodyError';
  constructor(
    readonly kind: 'too_large' | 'corrupt' | 'aborted',
    message: string,
  ) {
    super(message);
  }
}

function decoderFor(encoding: string | undefined): NodeJS.ReadWriteStream | undefined {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    default:
      return undefined;
  }
}

/** The first buffer for a body of about `expected` bytes (the last body's size): a little more, within the limit. */
function firstCapacity(expected: number, limitBytes: number): number {
  return Math.max(64 * 1024, Math.min(limitBytes, Math.ceil(expected * 1.05)));
}

/**
 * Resolves to the decoded body; rejects with a BodyError. `wire` counts bytes as received. The body is read
 * into one buffer sized from `expectedBytes` (grown if needed), not kept as chunks and joined at the end,
 * which would hold it twice; it may be a view of a somewhat larger buffer of its own.
 */
export function readBody(socketStream: Readable, contentEncoding: string | undefined, limitBytes: number, wire: { bytes: number }, expectedBytes = 0): Promise<Buffer> {
  const decoder = decoderFor(contentEncoding);
  const source: NodeJS.ReadableStream = decoder ? socketStream.pipe(decoder) : socketStream;
  socketStream.on('data', (chunk: Buffer) => (wire.bytes += chunk.length));
  return new Promise<Buffer>((resolve, reject) => {
    let into = Buffer.allocUnsafeSlow(firstCapacity(expectedBytes, limitBytes));
    let total = 0;
    let done = false;
    const fail = (err: BodyError) => {
      if (done) return;
      done = true;
      socketStream.destroy();
      decoder?.removeAllListeners('data');
      reject(err);
    };
    source.on('data', (chunk: Buffer) => {
      if (done) return;
      if (total + chunk.length > limitBytes) {
        fail(new BodyError('too_large', `upstream body is larger than ${limitBytes} bytes (upstream.body_size_limit)`));
        return;
      }
      if (total + chunk.length > into.length) {
        const bigger = Buffer.allocUnsafeSlow(Math.min(limitBytes, Math.max(into.length * 2, total + chunk.length)));
        into.copy(bigger, 0, 0, total);
        into = bigger;
      }
      total += chunk.copy(into, total);
    });
    source.on('end', () => {
      if (done) return;
      done = true;
      resolve(into.subarray(0, total));
    });
    decoder?.on('error', (err: NodeJS.ErrnoException) => fail(new BodyError('corrupt', `upstream ${contentEncoding} body is corrupt or truncated (${err.code ?? 'zlib error'})`)));
    socketStream.on('error', (err: NodeJS.ErrnoException) => fail(new BodyError('aborted', err.code ?? err.name)));
    socketStream.on('aborted', () => fail(new BodyError('aborted', 'ECONNRESET')));
    socketStream.on('close', () => {
      // A socket that closed before the body ended (and before `end`) is a cut connection.
      if (!done && !socketStream.readableEnded) fail(new BodyError('aborted', 'ECONNRESET'));
    });
  });
}
