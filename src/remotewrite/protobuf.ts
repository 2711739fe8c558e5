/**
 * Prometheus remote-write 1.0 messages (prompb/types.proto, prompb/remote.proto), encoded by hand:
 *
 *   WriteRequest { repeated TimeSeries timeseries = 1; }
 *   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 *   Label        { string name = 1; string value = 2; }
 *   Sample       { double value = 1; int64 timestamp = 2; }
 *
 * A WriteRequest is nothing but its `timeseries` fields one after another, so each sample is encoded once
 * as a complete `timeseries` field (a record) and a request body is the concatenation of its records. A
 * series' labels are encoded once (writeLabels) and copied into each of its records.
 */

/** Field keys: (field number << 3) | wire type (0 varint, 1 fixed64, 2 length-delimited). */
import {
  CH_BACKSLASH,
  CH_COMMA,
  CH_EQUALS,
  CH_LBRACE,
  CH_LF,
  CH_LOWER_N,
  CH_QUOTE,
  CH_RBRACE,
} from '../exposition/index.js';

const KEY_TIMESERIES = 0x0a; // WriteRequest.timeseries = 1, length-delimited
const KEY_LABEL = 0x0a; // TimeSeries.labels = 1
const KEY_SAMPLE = 0x12; // TimeSeries.samples = 2
const KEY_NAME = 0x0a; // Label.name = 1
const KEY_VALUE = 0x12; // Label.value = 2
const KEY_DOUBLE = 0x09; // Sample.value = 1, fixed64
const KEY_TIMESTAMP = 0x10; // Sample.timestamp = 2, varint

/** `__name__`, the label a TimeSeries carries its metric name in. */
const NAME_LABEL = Buffer.from('__name__');
/** Labels a series may have for writeServedLabels; one with more is encoded from strings. */
const MAX_SERVED_LABELS = 256;
/** Numbers per label in ByteWriter.spans. */
const SPAN = 5;

/**
 * Byte order of src[aStart, aEnd) against src[bStart, bEnd), or against `__name__` when bStart is -1 (names
 * are a few bytes: a loop, no call).
 */
function compareBytes(src: Buffer, aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  const other = bStart < 0 ? NAME_LABEL : src;
  if (bStart < 0) {
    bStart = 0;
    bEnd = NAME_LABEL.length;
  }
  const a = aEnd - aStart;
  const b = bEnd - bStart;
  for (let i = 0; i < a && i < b; i++) {
    const d = src[aStart + i]! - other[bStart + i]!;
    if (d !== 0) return d;
  }
  return a - b;
}

/** Bytes of a varint for a non-negative safe integer. */
export function varintLength(n: number): number {
  let length = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    length++;
  }
  return length;
}

/** UTF-8 length; label names and most values are ASCII, where it is the string's length (no native call). */
function utf8Length(text: string): number {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return Buffer.byteLength(text, 'utf8');
  return text.length;
}

/** A growable byte buffer for records. */
export class ByteWriter {
  private buf: Buffer;
  length = 0;
  /** writeServedLabels' labels: name start and end, value start and end, escapes in the value; reused. */
  private readonly spans = new Int32Array(SPAN * MAX_SERVED_LABELS);

  constructor(initialSize = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.length);
    this.buf = grown;
  }

  /** A non-negative safe integer; numbers above 2^31 are split with division, not bit operators. */
  private varint(n: number): void {
    while (n >= 0x80) {
      this.buf[this.length++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.length++] = n;
  }

  private string(key: number, text: string, bytes: number): void {
    this.buf[this.length++] = key;
    this.varint(bytes);
    if (bytes === text.length) {
      // ASCII: a byte per character, copied here (cheaper than a call into Buffer#write for short strings).
      const buf = this.buf;
      let at = this.length;
      for (let i = 0; i < bytes; i++) buf[at++] = text.charCodeAt(i);
      this.length = at;
    } else this.length += this.buf.write(text, this.length, bytes, 'utf8');
  }

  /**
   * Appends the `labels` fields of a TimeSeries. `labels` alternate name and value, sorted by name (byte
   * order) with `__name__` among them, as the remote-write spec requires; empty values are left out.
   */
  writeLabels(labels: readonly string[]): void {
    for (let i = 0; i < labels.length; i += 2) {
      const name = utf8Length(labels[i]!);
      const val = utf8Length(labels[i + 1]!);
      const label = 1 + varintLength(name) + name + 1 + varintLength(val) + val;
      this.ensure(1 + varintLength(label) + label);
      this.buf[this.length++] = KEY_LABEL;
      this.varint(label);
      this.string(KEY_NAME, labels[i]!, name);
      this.string(KEY_VALUE, labels[i + 1]!, val);
    }
  }

  /**
   * Appends the `labels` fields of a series as the bridge serves it, `name{a="1",b="2"}` in `src[start, end)`:
   * label names are classic and sorted, values escape only `\\`, `\"` and newline, and protobuf strings are
   * UTF-8 as the text is, so names and values are copied as bytes with `__name__` put in its place, no string
   * made. False, with nothing appended, for a series written any other way (labels out of order, another
   * escape): the caller reads it as text.
   */
  writeServedLabels(src: Buffer, start: number, end: number): boolean {
    let nameEnd = start;
    while (nameEnd < end && src[nameEnd] !== CH_LBRACE) nameEnd++;
    if (nameEnd === start) return false;
    const at = this.spans;
    let n = 0;
    if (nameEnd < end) {
      if (src[end - 1] !== CH_RBRACE) return false;
      let pos = nameEnd + 1;
      while (pos < end - 1) {
        if (n === MAX_SERVED_LABELS) return false;
        const keyStart = pos;
        while (pos < end && src[pos] !== CH_EQUALS) pos++;
        if (pos === keyStart || src[pos + 1] !== CH_QUOTE) return false;
        const keyEnd = pos;
        pos += 2;
        const valueStart = pos;
        let escapes = 0;
        for (let c = src[pos]; c !== CH_QUOTE; c = src[++pos]) {
          if (pos >= end) return false;
          if (c === CH_BACKSLASH) {
            const next = src[++pos];
            if (next !== CH_BACKSLASH && next !== CH_QUOTE && next !== CH_LOWER_N) return false;
            escapes++;
          }
        }
        const valueEnd = pos++;
        if (src[pos] === CH_COMMA) pos++;
        else if (pos !== end - 1) return false;
        const i = SPAN * n;
        if (n > 0 && compareBytes(src, at[i - SPAN]!, at[i - SPAN + 1]!, keyStart, keyEnd) >= 0) return false;
        at[i] = keyStart;
        at[i + 1] = keyEnd;
        at[i + 2] = valueStart;
        at[i + 3] = valueEnd;
        at[i + 4] = escapes;
        n++;
      }
    }
    // Names are ASCII and unescaping only shortens a value: the text's length bounds the encoded size, with
    // at most 6 bytes of keys and lengths per label and `__name__`'s 8 bytes.
    this.ensure(end - start + 6 * (n + 1) + NAME_LABEL.length);
    let named = false;
    for (let i = 0; i < SPAN * n; i += SPAN) {
      if (!named && compareBytes(src, at[i]!, at[i + 1]!, -1, -1) > 0) {
        this.labelBytes(NAME_LABEL, 0, NAME_LABEL.length, src, start, nameEnd, 0);
        named = true;
      }
      if (at[i + 3]! > at[i + 2]!) this.labelBytes(src, at[i]!, at[i + 1]!, src, at[i + 2]!, at[i + 3]!, at[i + 4]!);
    }
    if (!named) this.labelBytes(NAME_LABEL, 0, NAME_LABEL.length, src, start, nameEnd, 0);
    return true;
  }

  /** One `labels` field from bytes, the value's `escapes` escapes resolved (room already ensured). */
  private labelBytes(
    names: Buffer,
    nameStart: number,
    nameEnd: number,
    values: Buffer,
    valueStart: number,
    valueEnd: number,
    escapes: number,
  ): void {
    const name = nameEnd - nameStart;
    const value = valueEnd - valueStart - escapes;
    this.buf[this.length++] = KEY_LABEL;
    this.varint(1 + varintLength(name) + name + 1 + varintLength(value) + value);
    this.buf[this.length++] = KEY_NAME;
    this.varint(name);
    this.copyBytes(names, nameStart, nameEnd);
    this.buf[this.length++] = KEY_VALUE;
    this.varint(value);
    if (escapes === 0) {
      this.copyBytes(values, valueStart, valueEnd);
      return;
    }
    const buf = this.buf;
    let o = this.length;
    for (let i = valueStart; i < valueEnd; i++) {
      let c = values[i]!;
      if (c === CH_BACKSLASH) {
        c = values[++i]!;
        if (c === CH_LOWER_N) c = CH_LF;
      }
      buf[o++] = c;
    }
    this.length = o;
  }

  /** A few bytes: a loop costs less than Buffer#copy's call. */
  private copyBytes(from: Buffer, start: number, end: number): void {
    const buf = this.buf;
    let at = this.length;
    if (end - start > 64) at += from.copy(buf, at, start, end);
    else for (let i = start; i < end; i++) buf[at++] = from[i]!;
    this.length = at;
  }

  /**
   * Appends one `timeseries` field holding one sample: its labels are `labels`' bytes [start, end), a
   * series' `labels` fields written once by writeLabels; `timestampMs` must be a non-negative integer.
   */
  writeRecord(labels: Buffer, start: number, end: number, value: number, timestampMs: number): void {
    const sampleSize = 1 + 8 + 1 + varintLength(timestampMs);
    const seriesSize = end - start + 1 + varintLength(sampleSize) + sampleSize;
    this.ensure(1 + varintLength(seriesSize) + seriesSize);
    this.buf[this.length++] = KEY_TIMESERIES;
    this.varint(seriesSize);
    this.length += labels.copy(this.buf, this.length, start, end);
    this.buf[this.length++] = KEY_SAMPLE;
    this.varint(sampleSize);
    this.buf[this.length++] = KEY_DOUBLE;
    this.length = this.buf.writeDoubleLE(value, this.length);
    this.buf[this.length++] = KEY_TIMESTAMP;
    this.varint(timestampMs);
  }

  /** A copy of the bytes written so far. */
  bytes(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.length));
  }

  /** The bytes in [start, end), not copied: valid until the next write. */
  view(start: number, end: number): Buffer {
    return this.buf.subarray(start, end);
  }

  reset(): void {
    this.length = 0;
  }
}
