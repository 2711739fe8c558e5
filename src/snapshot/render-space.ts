/**
 * Where a new series' rendered text is written until the cycle's output holds it: chunks of one shared
 * buffer rather than a Buffer per series (a small Buffer costs more to make than to fill). The text is hashed
 * as it is written. At the end of the cycle every series points into the output, or was copied out
 * (SeriesCache.sweep), so the chunks are let go.
 */
import { hashBytes } from './series-cache.js';

const CHUNK_BYTES = 1 << 20;
const NON_ASCII = /[\u0080-\uffff]/;

export interface Written {
  buffer: Buffer;
  offset: number;
  length: number;
  hash: number;
  ascii: boolean;
}

export class RenderSpace {
  private chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  private used = 0;
  /** Reused for every write: read it before the next. */
  private readonly result: Written = { buffer: this.chunk, offset: 0, length: 0, hash: 0, ascii: true };

  /** Starts a cycle with a fresh chunk (the last cycle's are no longer pointed at). */
  beginCycle(): void {
    if (this.used > 0) {
      this.chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
      this.used = 0;
    }
  }

  write(text: string): Written {
    const r = this.result;
    if (NON_ASCII.test(text)) {
      const bytes = Buffer.from(text, 'utf8');
      r.buffer = bytes;
      r.offset = 0;
      r.length = bytes.length;
      r.hash = hashBytes(bytes, 0, bytes.length);
      r.ascii = false;
      return r;
    }
    const n = text.length;
    if (n > CHUNK_BYTES - this.used) {
      this.chunk = Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, n));
      this.used = 0;
    }
    const chunk = this.chunk;
    const start = this.used;
    // FNV-1a, as hashBytes, while the bytes are written.
    let h = 0x811c9dc5;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      chunk[start + i] = c;
      h = Math.imul(h ^ c, 0x01000193);
    }
    this.used += n;
    r.buffer = chunk;
    r.offset = start;
    r.length = n;
    r.hash = h | 0;
    r.ascii = true;
    return r;
  }
}
