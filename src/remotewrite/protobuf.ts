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
const KEY_TIMESERIES = 0x0a; // WriteRequest.timeseries = 1, length-delimited
const KEY_LABEL = 0x0a; // TimeSeries.labels = 1
const KEY_SAMPLE = 0x12; // TimeSeries.samples = 2
const KEY_NAME = 0x0a; // Label.name = 1
const KEY_VALUE = 0x12; // Label.value = 2
const KEY_DOUBLE = 0x09; // Sample.value = 1, fixed64
const KEY_TIMESTAMP = 0x10; // Sample.timestamp = 2, varint

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
   * Appends one `timeseries` field holding one sample: its labels are `labels`' bytes [start, end), a
   * series' `labels` fields written once by writeLabels; `timestampMs` must be a non-negative integer.
   */
  writeRecord(labels: ByteWriter, start: number, end: number, value: number, timestampMs: number): void {
    const sampleSize = 1 + 8 + 1 + varintLength(timestampMs);
    const seriesSize = end - start + 1 + varintLength(sampleSize) + sampleSize;
    this.ensure(1 + varintLength(seriesSize) + seriesSize);
    this.buf[this.length++] = KEY_TIMESERIES;
    this.varint(seriesSize);
    this.length += labels.buf.copy(this.buf, this.length, start, end);
    this.buf[this.length++] = KEY_SAMPLE;
    this.varint(sampleSize);
    this.buf[this.length++] = KEY_DOUBLE;
    this.length = this.buf.writeDoubleLE(value, this.length);
    this.buf[this.length++] = KEY_TIMESTAMP;
    this.varint(timestampMs);
  }

  /** Appends `from`'s bytes [start, end). */
  append(from: ByteWriter, start: number, end: number): void {
    this.ensure(end - start);
    this.length += from.buf.copy(this.buf, this.length, start, end);
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
