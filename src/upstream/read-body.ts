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

/** Resolves to the decoded body; rejects with a BodyError. `wire` counts bytes as received. */
export function readBody(socketStream: Readable, contentEncoding: string | undefined, limitBytes: number, wire: { bytes: number }): Promise<Buffer> {
  const decoder = decoderFor(contentEncoding);
  const source: NodeJS.ReadableStream = decoder ? socketStream.pipe(decoder) : socketStream;
  socketStream.on('data', (chunk: Buffer) => (wire.bytes += chunk.length));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
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
      total += chunk.length;
      if (total > limitBytes) fail(new BodyError('too_large', `upstream body is larger than ${limitBytes} bytes (upstream.body_size_limit)`));
      else chunks.push(chunk);
    });
    source.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks, total));
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
