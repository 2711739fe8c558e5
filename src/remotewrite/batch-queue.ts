/**
 * The bounded queue of sealed batches of one remote. When it is full the OLDEST batches are dropped:
 * the newest samples are the ones dashboards and alerts read, counters are cumulative (a lost old point
 * costs resolution, not totals), and what stays is still in time order, so a receiver that comes back
 * accepts it (Prometheus's TSDB rejects samples older than a series' newest as out of order).
 */
import type { SealedBatch } from './batch.js';

export class BatchQueue {
  private batches: SealedBatch[] = [];
  private head = 0;
  /** Samples in the batches waiting. */
  samples = 0;

  get batchCount(): number {
    return this.batches.length - this.head;
  }

  peek(): SealedBatch | undefined {
    return this.batches[this.head];
  }

  shift(): SealedBatch | undefined {
    const batch = this.batches[this.head];
    if (batch === undefined) return undefined;
    this.batches[this.head++] = undefined as unknown as SealedBatch;
    this.samples -= batch.samples;
    // Compact now and then rather than shifting the array on every batch.
    if (this.head > 64 && this.head * 2 > this.batches.length) {
      this.batches = this.batches.slice(this.head);
      this.head = 0;
    }
    return batch;
  }

  push(batch: SealedBatch): void {
    this.batches.push(batch);
    this.samples += batch.samples;
  }

  /** Drops the oldest batches until at most `limit` samples wait; returns the samples dropped. */
  trimTo(limit: number): number {
    let dropped = 0;
    while (this.samples > Math.max(0, limit)) dropped += this.shift()!.samples;
    return dropped;
  }

  /** Empties the queue; returns the samples it held. */
  clear(): number {
    const held = this.samples;
    this.batches = [];
    this.head = 0;
    this.samples = 0;
    return held;
  }

  /** Moves every batch of `other` in front of this queue's (when a reloaded remote takes over its queue). */
  prependFrom(other: BatchQueue): void {
    const moved: SealedBatch[] = [];
    for (let b = other.shift(); b !== undefined; b = other.shift()) moved.push(b);
    this.batches = [...moved, ...this.batches.slice(this.head)];
    this.head = 0;
    this.samples += moved.reduce((n, b) => n + b.samples, 0);
  }
}
