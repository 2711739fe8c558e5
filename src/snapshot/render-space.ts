/**
 * Where a new series' rendered text is written until the cycle's output holds it: chunks of one shared
 * buffer rather than a Buffer per series (a small Buffer costs more to make than to fill). The series is
 * written straight from its name and labels, escaped as the renderer escapes them (escape.ts), and hashed
 * as it is written. At the end of the cycle every series points into the output, or was copied out
 * (SeriesCache.sweep), so the chunks are let go.
 */
import { CH_BACKSLASH, CH_COMMA, CH_EQUALS, CH_LBRACE, CH_LF, CH_LOWER_N, CH_QUOTE, CH_RBRACE, CH_SPACE, formatLabels } from '../exposition/index.js';
import type { LabelPairs } from '../exposition/index.js';
import { FNV_OFFSET, FNV_PRIME, hashBytes } from './series-cache.js';

const CHUNK_BYTES = 1 << 20;

export interface Written {
  buffer: Buffer;
  offset: number;
  length: number;
  hash: number;
  /** Every character was ASCII, so lengths in bytes are lengths in characters. */
  ascii: boolean;
}

export class RenderSpace {
  private chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  private used = 0;
  private at = 0;
  private h = 0;
  /** Reused for every write: read it before the next. */
  private readonly result: Written = { buffer: this.chunk, offset: 0, length: 0, hash: 0, ascii: true };

  /** Starts a cycle with a fresh chunk (the last cycle's are no longer pointed at). */
  beginCycle(): void {
    if (this.used > 0) {
      this.chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
      this.used = 0;
    }
  }

  /** `name{a="1",b="2"} ` (labels as given, sorted by the caller), or `name ` without labels. */
  writeSeries(name: string, labels: LabelPairs): Written {
    // The longest it can be: every character of a value escaped (two bytes each).
    let bound = name.length + 3;
    for (let i = 0; i < labels.length; i++) bound += labels[i]![0].length + 2 * labels[i]![1].length + 4;
    if (bound > CHUNK_BYTES - this.used) {
      this.chunk = Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, bound));
      this.used = 0;
    }
    this.at = this.used;
    this.h = FNV_OFFSET;
    let ascii = this.plain(name);
    for (let i = 0; ascii && i < labels.length; i++) {
      this.byte(i === 0 ? CH_LBRACE : CH_COMMA);
      ascii = this.plain(labels[i]![0]);
      this.byte(CH_EQUALS);
      this.byte(CH_QUOTE);
      ascii &&= this.escaped(labels[i]![1]);
      this.byte(CH_QUOTE);
    }
    if (!ascii) return this.nonAscii(name, labels);
    if (labels.length > 0) this.byte(CH_RBRACE);
    this.byte(CH_SPACE);
    const r = this.result;
    r.buffer = this.chunk;
    r.offset = this.used;
    r.length = this.at - this.used;
    r.hash = this.h | 0;
    r.ascii = true;
    this.used = this.at;
    return r;
  }

  private byte(c: number): void {
    this.chunk[this.at++] = c;
    this.h = Math.imul(this.h ^ c, FNV_PRIME);
  }

  /** Writes an ASCII string as it is; false (having written part of it) at the first other character. */
  private plain(s: string): boolean {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return false;
      this.byte(c);
    }
    return true;
  }

  /** A label value with `\`, `"` and newline escaped; false at the first character that is not ASCII. */
  private escaped(s: string): boolean {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return false;
      if (c === CH_BACKSLASH || c === CH_QUOTE) this.byte(CH_BACKSLASH);
      else if (c === CH_LF) {
        this.byte(CH_BACKSLASH);
        this.byte(CH_LOWER_N);
        continue;
      }
      this.byte(c);
    }
    return true;
  }

  /** Text that is not all ASCII (user-chosen model names): encoded by Buffer, in a buffer of its own. */
  private nonAscii(name: string, labels: LabelPairs): Written {
    const bytes = Buffer.from(`${name}${formatLabels(labels)} `, 'utf8');
    const r = this.result;
    r.buffer = bytes;
    r.offset = 0;
    r.length = bytes.length;
    r.hash = hashBytes(bytes, 0, bytes.length);
    r.ascii = false;
    return r;
  }
}
