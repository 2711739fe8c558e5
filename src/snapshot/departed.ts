/**
 * Series that Baseten stopped sending, served once more without a timestamp, so that Prometheus marks them
 * stale. With sample timestamps (BuildOptions.sampleTimestamps) every relayed sample carries its fetch time,
 * and Prometheus 2.x writes no staleness marker for a timestamped series (scrape/scrape.go tracks staleness
 * only for samples without one): a replaced replica's gauges would stay in every instant query for the
 * lookback (5 minutes). So for one cycle a departed series is served as it last was, value and all, but
 * without the timestamp: a scrape stores that sample at scrape time and tracks the series, and the next
 * cycle, which leaves it out, makes Prometheus write the staleness marker, as scraping Baseten directly would.
 * Only series the bridge itself stamped are carried (one whose line had its own timestamp is not tracked
 * by Prometheus either way), and only for one cycle (the lines carried are not recorded as served).
 * This file holds the record of what a snapshot served (ServedLines); snapshot.ts, which owns the Snapshot,
 * finds the departed lines in the previous one and writes them.
 */
import type { OutSeries } from './series-cache.js';

/** Every line a snapshot served, in output order: what the next snapshot compares with to find departures. */
export class ServedLines {
  count = 0;
  /** Lines of departed series the snapshot carries besides (not recorded: they are carried once). */
  carried = 0;
  outs: OutSeries[] = [];
  /** The line's start in the snapshot's text, and the end of its value: -1 when the line had its own timestamp. */
  start = new Int32Array(1024);
  valueEnd = new Int32Array(1024);
  /** The line's block, an index into the snapshot's `blocks`. */
  block = new Int32Array(1024);

  reset(size: number): void {
    this.outs.fill(undefined as unknown as OutSeries, 0, this.count);
    this.count = 0;
    this.carried = 0;
    if (this.start.length < size) {
      const capacity = Math.max(size, this.start.length * 2);
      this.start = new Int32Array(capacity);
      this.valueEnd = new Int32Array(capacity);
      this.block = new Int32Array(capacity);
    }
  }

  add(out: OutSeries, start: number, valueEnd: number, block: number): void {
    const k = this.count++;
    if (k < this.outs.length) this.outs[k] = out;
    else this.outs.push(out);
    this.start[k] = start;
    this.valueEnd[k] = valueEnd;
    this.block[k] = block;
  }
}
