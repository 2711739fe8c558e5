/**
 * Reads a response body from the socket, decompressing gzip strictly and counting the decompressed bytes as
 * they come, so a huge or endless body is cut at the limit without being buffered whole. axios's own
 * decompression is off: it flushes leniently and hands back a truncated gzip body as if it were complete.
 *
 * A compressed body is received whole before it is decompressed: when its bytes are those of the last body
 * the caller accepted (Baseten refreshes every 30 s, so bodies fetched in between repeat byte for byte, and
 * gzip is deterministic), it is not decompressed at all. Equal compressed bytes mean equal text.
 */
import type { Readable, Transform } from 'node:stream';
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

/** A body read: its text, and for a compressed one its bytes as received; or `repeated` (the text not read). */
export type ReadBody = { repeated: false; body: Buffer; compressed?: Buffer } | { repeated: true; compressed: Buffer };

/** Output chunks of the decoder: zlib's 16 KiB default makes some 3,000 callbacks for a 48 MB body. */
const DECODE_CHUNK_BYTES = 1024 * 1024;

function decoderFor(encoding: string | undefined): Transform | undefined {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip({ chunkSize: DECODE_CHUNK_BYTES });
    case 'deflate':
      return createInflate({ chunkSize: DECODE_CHUNK_BYTES });
    default:
      return undefined;
  }
}

/** The first buffer for a body of about `expected` bytes (the last body's size): a little more, within the limit. */
function firstCapacity(expected: number, limitBytes: number): number {
  return Math.max(64 * 1024, Math.min(limitBytes, Math.ceil(expected * 1.05)));
}

/**
 * Compressed bytes allowed for a text of `limitBytes`: deflate's stored blocks add 5 bytes per 64 KiB, so an
 * incompressible body within the limit is never refused for its compressed size.
 */
function compressedLimit(limitBytes: number): number {
  return limitBytes + Math.ceil(limitBytes / 1000) + 1024;
}

/** Bytes appended into one buffer that grows by doubling, up to a limit. */
class Collector {
  private into: Buffer | undefined;
  total = 0;

  constructor(
    private readonly expected: number,
    private readonly limitBytes: number,
    /** A free buffer to fill first, when it is large enough (fresh memory costs its page faults). */
    private readonly spare?: Buffer,
  ) {}

  /** False when `chunk` would pass the limit. */
  add(chunk: Buffer): boolean {
    const total = this.total;
    if (total + chunk.length > this.limitBytes) return false;
    if (this.into === undefined) {
      // Made at the first byte, not before: a repeated body never needs it.
      const capacity = firstCapacity(this.expected, this.limitBytes);
      // Not one far larger than the body has become: it would keep that memory for nothing.
      const spare = this.spare;
      this.into =
        spare !== undefined && spare.length >= capacity && spare.length <= 2 * capacity
          ? spare
          : Buffer.allocUnsafeSlow(capacity);
    }
    if (total + chunk.length > this.into.length) {
      const bigger = Buffer.allocUnsafeSlow(
        Math.min(this.limitBytes, Math.max(this.into.length * 2, total + chunk.length)),
      );
      this.into.copy(bigger, 0, 0, total);
      this.into = bigger;
    }
    this.total += chunk.copy(this.into, total);
    return true;
  }

  bytes(): Buffer {
    return this.into === undefined ? Buffer.alloc(0) : this.into.subarray(0, this.total);
  }
}

export interface ReadOptions {
  /** The size of the last body's text, to size the buffer. */
  expectedBytes?: number;
  /** The compressed bytes of the last body the caller accepted: a body equal to them is `repeated`. */
  accepted?: Buffer;
  /** A buffer nothing points into any more (a body the builder let go): the text is read into it when it fits. */
  into?: Buffer;
}

/**
 * Resolves to the body read; rejects with a BodyError. `wire` counts bytes as received. The text is read into
 * one buffer sized from `expectedBytes` (grown if needed), not kept as chunks and joined at the end, which
 * would hold it twice; it may be a view of a somewhat larger buffer of its own, or of `into`.
 */
export function readBody(
  socketStream: Readable,
  contentEncoding: string | undefined,
  limitBytes: number,
  wire: { bytes: number },
  options: ReadOptions = {},
): Promise<ReadBody> {
  const decoder = decoderFor(contentEncoding);
  return new Promise<ReadBody>((resolve, reject) => {
    let done = false;
    const fail = (err: BodyError) => {
      if (done) return;
      done = true;
      socketStream.destroy();
      // Stopped, not just unheard: a small compressed body can expand without end (a gzip bomb).
      decoder?.removeAllListeners('data');
      decoder?.destroy();
      reject(err);
    };
    const tooLarge = () =>
      fail(new BodyError('too_large', `upstream body is larger than ${limitBytes} bytes (upstream.body_size_limit)`));
    const text = new Collector(options.expectedBytes ?? 0, limitBytes, options.into);
    // Uncompressed: the socket's bytes are the text. Compressed: they are kept, then compared or decoded.
    const received = decoder ? new Collector(options.accepted?.length ?? 0, compressedLimit(limitBytes)) : text;
    socketStream.on('data', (chunk: Buffer) => {
      wire.bytes += chunk.length;
      if (!done && !received.add(chunk)) tooLarge();
    });
    socketStream.on('end', () => {
      if (done) return;
      if (!decoder) {
        done = true;
        resolve({ repeated: false, body: text.bytes() });
        return;
      }
      const compressed = received.bytes();
      if (options.accepted?.equals(compressed)) {
        done = true;
        resolve({ repeated: true, compressed });
        return;
      }
      decoder.on('data', (chunk: Buffer) => {
        if (!done && !text.add(chunk)) tooLarge();
      });
      decoder.on('end', () => {
        if (done) return;
        done = true;
        resolve({ repeated: false, body: text.bytes(), compressed });
      });
      decoder.end(compressed);
    });
    decoder?.on('error', (err: NodeJS.ErrnoException) =>
      fail(
        new BodyError(
          'corrupt',
          `upstream ${contentEncoding} body is corrupt or truncated (${err.code ?? 'zlib error'})`,
        ),
      ),
    );
    socketStream.on('error', (err: NodeJS.ErrnoException) => fail(new BodyError('aborted', err.code ?? err.name)));
    socketStream.on('aborted', () => fail(new BodyError('aborted', 'ECONNRESET')));
    socketStream.on('close', () => {
      // A socket that closed before the body ended (and before `end`) is a cut connection.
      if (!done && !socketStream.readableEnded) fail(new BodyError('aborted', 'ECONNRESET'));
    });
  });
}
