/**
 * Batches of records: the one being filled (at most max_samples_per_send samples) and sealed ones, kept
 * snappy-compressed so that a queue of a million samples costs tens of MB, not hundreds. Remote-write 1.0
 * uses snappy's block format, not its framed stream format (prompb/remote.proto).
 *
 * The block format is a varint of the uncompressed length followed by elements, and snappy compresses
 * independent 64 KiB fragments (snappy.cc kBlockSize; snappyjs BLOCK_SIZE): no copy refers across a
 * fragment boundary. So each 64 KiB of records is compressed as soon as it is written, and sealing only
 * compresses the tail and prepends the total length: the same bytes as compressing the whole batch at
 * once, without a ~1 MB compression (tens of ms while the code is cold) in one turn of the event loop.
 */
import { compress } from 'snappyjs';
import { ByteWriter, varintLength } from './protobuf.js';

export const SNAPPY_FRAGMENT = 64 * 1024;

export interface SealedBatch {
  /** The snappy-compressed WriteRequest, ready to POST. */
  readonly body: Buffer;
  readonly samples: number;
}

/** One fragment compressed on its own, without the length varint snappyjs puts in front. */
function compressFragment(bytes: Buffer): Buffer {
  const block = compress(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  const skip = varintLength(bytes.length);
  return Buffer.from(block.buffer, block.byteOffset + skip, block.length - skip);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

export class OpenBatch {
  readonly writer = new ByteWriter();
  samples = 0;
  /** When the first sample went in (for batch_send_deadline); undefined while empty. */
  openedAt: number | undefined;
  private pieces: Buffer[] = [];
  private compressedUpTo = 0;

  /** `labels[start, end)`: the series' encoded labels (ByteWriter.writeLabels). */
  add(labels: Buffer, start: number, end: number, value: number, timestampMs: number, now: number): void {
    this.writer.writeRecord(labels, start, end, value, timestampMs);
    if (this.samples === 0) this.openedAt = now;
    this.samples++;
    while (this.writer.length - this.compressedUpTo >= SNAPPY_FRAGMENT) {
      this.pieces.push(compressFragment(this.writer.view(this.compressedUpTo, this.compressedUpTo + SNAPPY_FRAGMENT)));
      this.compressedUpTo += SNAPPY_FRAGMENT;
    }
  }

  /** Compresses the rest and empties the batch. */
  seal(): SealedBatch {
    const total = this.writer.length;
    if (total > this.compressedUpTo) this.pieces.push(compressFragment(this.writer.view(this.compressedUpTo, total)));
    const batch = { body: Buffer.concat([varint(total), ...this.pieces]), samples: this.samples };
    this.writer.reset();
    this.pieces = [];
    this.compressedUpTo = 0;
    this.samples = 0;
    this.openedAt = undefined;
    return batch;
  }
}
