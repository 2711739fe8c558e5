/**
 * The immutable result of one good cycle: the relayed families rendered once into bytes and gzip bytes,
 * so that any number of scrapes cost a buffer write each. The gzip bytes are one gzip member per family
 * header and one per family body (back to back they are one valid gzip stream), so that the families of
 * several targets can be merged by copying members, never by compressing again.
 */
import { gzipSync } from 'node:zlib';
import { renderText } from '../exposition/index.js';
import type { MetricFamily } from '../exposition/model.js';
import { familyBlocks, type FamilyBlock } from './family-blocks.js';

export interface Snapshot {
  readonly fetchedAtMs: number;
  readonly text: Buffer;
  readonly gzip: Buffer;
  /** Where each family sits in `text` and in `gzip`, in order. */
  readonly blocks: readonly FamilyBlock[];
  readonly seriesScraped: number;
  readonly seriesServed: number;
}

export function createSnapshot(families: readonly MetricFamily[], fetchedAtMs: number, seriesScraped: number, seriesServed: number): Snapshot {
  return snapshotFromText(Buffer.from(renderText([...families]), 'utf8'), fetchedAtMs, seriesScraped, seriesServed);
}

/** Level 1: about three times cheaper than the default for 15 % more bytes, paid once per cycle. */
const GZIP_LEVEL = 1;

export function snapshotFromText(text: Buffer, fetchedAtMs: number, seriesScraped: number, seriesServed: number): Snapshot {
  const blocks = familyBlocks(text);
  const members: Buffer[] = [];
  let at = 0;
  const member = (start: number, end: number): [number, number] => {
    const gz = gzipSync(text.subarray(start, end), { level: GZIP_LEVEL });
    members.push(gz);
    at += gz.length;
    return [at - gz.length, at];
  };
  for (const block of blocks) {
    block.gzHeader = member(block.start, block.bodyStart);
    block.gzBody = member(block.bodyStart, block.end);
  }
  return Object.freeze({
    fetchedAtMs,
    text,
    gzip: members.length > 0 ? Buffer.concat(members, at) : gzipSync(text, { level: GZIP_LEVEL }),
    blocks,
    seriesScraped,
    seriesServed,
  });
}

/**
 * Holds the latest snapshot. A swap is one reference assignment, so a scrape sees the old or the new snapshot
 * whole, never half of each. Older than max staleness, the data is no longer served (Prometheus then writes
 * stale markers instead of showing old numbers as current).
 */
export class SnapshotStore {
  private latest: Snapshot | undefined;

  constructor(
    private readonly maxStalenessMs: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  swap(next: Snapshot): void {
    this.latest = next;
  }

  /** The snapshot to serve, or undefined before the first good cycle and once it is stale. */
  servable(): Snapshot | undefined {
    const s = this.latest;
    if (!s || this.now() - s.fetchedAtMs > this.maxStalenessMs()) return undefined;
    return s;
  }

  /** Seconds since the last good fetch, or undefined before the first. */
  ageSeconds(): number | undefined {
    return this.latest ? Math.max(0, (this.now() - this.latest.fetchedAtMs) / 1000) : undefined;
  }

  last(): Snapshot | undefined {
    return this.latest;
  }
}
