/**
 * The sample lines of one cycle, as flat growable arrays indexed by line (in body order), reused from one
 * cycle to the next: which entry each line is, where its value and timestamp bytes are, and, for the few
 * values that are not copied as written, the text that replaces them.
 */
import type { SeriesEntry } from './series-cache.js';

export class CycleLines {
  count = 0;
  entries: SeriesEntry[] = [];
  /**
   * Value bytes [valueStart, valueEnd) and timestamp bytes [tsStart, tsEnd) in the body; tsStart -1: the line
   * has no timestamp of its own.
   */
  valueStart = new Int32Array(1024);
  valueEnd = new Int32Array(1024);
  tsStart = new Int32Array(1024);
  tsEnd = new Int32Array(1024);
  /** Line → the value (and timestamp) text to write instead of the body's bytes. */
  readonly written = new Map<number, string>();

  reset(): void {
    // The last cycle's entries are let go, but the array keeps its size: emptying it would make it grow
    // again, in large copies, every cycle.
    this.entries.fill(undefined as unknown as SeriesEntry, 0, this.count);
    this.count = 0;
    this.written.clear();
  }

  add(entry: SeriesEntry, valueStart: number, valueEnd: number, tsStart: number, tsEnd: number): number {
    const i = this.count++;
    if (i === this.valueStart.length) this.grow();
    if (i < this.entries.length) this.entries[i] = entry;
    else this.entries.push(entry);
    this.valueStart[i] = valueStart;
    this.valueEnd[i] = valueEnd;
    this.tsStart[i] = tsStart;
    this.tsEnd[i] = tsEnd;
    return i;
  }

  /**
   * A line whose value and timestamp are written as `text` (without the leading space). `timestamped`: the text
   * ends in the line's own timestamp (its tsStart is then 0, not -1: the line needs no fetch time).
   */
  addWritten(entry: SeriesEntry, text: string, timestamped: boolean): void {
    const i = this.add(entry, 0, 0, timestamped ? 0 : -1, timestamped ? 0 : -1);
    this.written.set(i, text);
  }

  /** Bytes the line's tail takes in the output: value, optional space and timestamp (no line break). */
  tailLength(i: number): number {
    const text = this.written.get(i);
    if (text !== undefined) return Buffer.byteLength(text);
    const ts = this.tsStart[i]!;
    return this.valueEnd[i]! - this.valueStart[i]! + (ts < 0 ? 0 : 1 + this.tsEnd[i]! - ts);
  }

  private grow(): void {
    const size = this.valueStart.length * 2;
    const bigger = (a: Int32Array) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.valueStart = bigger(this.valueStart);
    this.valueEnd = bigger(this.valueEnd);
    this.tsStart = bigger(this.tsStart);
    this.tsEnd = bigger(this.tsEnd);
  }
}
