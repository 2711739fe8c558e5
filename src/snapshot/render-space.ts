/**
 * Where a new series' rendered text is written until the cycle's output holds it: chunks of one shared
 * buffer rather than a Buffer per series (a small Buffer costs more to make than to fill). The series is
 * written straight from its name and labels, escaped as the renderer escapes them (exposition/escape.ts), then
 * hashed. At the end of the cycle every series points into the output, or was copied out (SeriesCache.sweep),
 * so the chunks are let go.
 */
import {
  CH_BACKSLASH,
  CH_COMMA,
  CH_EQUALS,
  CH_LBRACE,
  CH_LF,
  CH_LOWER_N,
  CH_QUOTE,
  CH_RBRACE,
  CH_SPACE,
  formatLabels,
} from '../exposition/index.js';
import type { LabelPairs } from '../exposition/index.js';
import { hashBytes } from './series-cache.js';

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
    const chunk = this.chunk;
    const start = this.used;
    let at = writePlain(chunk, start, name);
    for (let i = 0; at >= 0 && i < labels.length; i++) {
      chunk[at++] = i === 0 ? CH_LBRACE : CH_COMMA;
      at = writePlain(chunk, at, labels[i]![0]);
      if (at < 0) break;
      chunk[at++] = CH_EQUALS;
      chunk[at++] = CH_QUOTE;
      at = writeEscaped(chunk, at, labels[i]![1]);
      if (at >= 0) chunk[at++] = CH_QUOTE;
    }
    if (at < 0) return this.nonAscii(name, labels);
    if (labels.length > 0) chunk[at++] = CH_RBRACE;
    chunk[at++] = CH_SPACE;
    const r = this.result;
    r.buffer = chunk;
    r.offset = start;
    r.length = at - start;
    r.hash = hashBytes(chunk, start, at);
    r.ascii = true;
    this.used = at;
    return r;
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

// Module functions over locals rather than methods over fields: the per-byte loops below are the render's cost.

/** Writes an ASCII string at `at` as it is; the index after it, or -1 at the first other character. */
function writePlain(chunk: Buffer, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return -1;
    chunk[at++] = c;
  }
  return at;
}

/**
 * A label value with `\`, `"` and newline escaped; the index after it, or -1 at the first character that is not ASCII.
 */
function writeEscaped(chunk: Buffer, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return -1;
    if (c === CH_BACKSLASH || c === CH_QUOTE) chunk[at++] = CH_BACKSLASH;
    else if (c === CH_LF) {
      chunk[at++] = CH_BACKSLASH;
      chunk[at++] = CH_LOWER_N;
      continue;
    }
    chunk[at++] = c;
  }
  return at;
}
