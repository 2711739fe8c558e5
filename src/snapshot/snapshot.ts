/**
 * The immutable result of one good cycle: the relayed families rendered once into bytes and gzip bytes,
 * so that any number of scrapes cost a buffer write each. The gzip bytes are one gzip member per family
 * header and one per family body (back to back they are one valid gzip stream), so that the families of
 * several targets can be merged by copying members, never by compressing again.
 */
import { gzipSync } from 'node:zlib';
import { CH_LF, CH_SPACE } from '../exposition/index.js';
import type { CycleLines } from './cycle-lines.js';
import type { OutBlock } from './out-blocks.js';

/** Where one family sits in a snapshot's text and gzip bytes, so snapshots can be merged family by family. */
export interface FamilyBlock {
  name: string;
  /** The `# TYPE` of the family ('untyped' when the block has none). */
  type: string;
  /** Offsets in the text: the header (comment lines) is [start, bodyStart), the samples [bodyStart, end). */
  start: number;
  bodyStart: number;
  end: number;
  /** Offsets of the header's and the body's gzip members in the snapshot's gzip bytes. */
  gzHeader: [number, number];
  gzBody: [number, number];
}

export interface Snapshot {
  readonly fetchedAtMs: number;
  readonly text: Buffer;
  readonly gzip: Buffer;
  /** Where each family sits in `text` and in `gzip`, in order. */
  readonly blocks: readonly FamilyBlock[];
  readonly seriesScraped: number;
  readonly seriesServed: number;
}

/** Level 1: about three times cheaper than the default for 15 % more bytes, paid once per cycle. */
const GZIP_LEVEL = 1;

/**
 * A cycle's snapshot from its resolved lines: each served block's header, then for each of its lines the
 * cached series text and the line's value (and timestamp) bytes, into one buffer of the exact size. The
 * buffer is shared memory, so the builder thread keeps seeing the bytes it hands to the server (for the next
 * cycle's per-family comparison) without a copy either way.
 */
export function snapshotFromLines(
  body: Buffer,
  lines: CycleLines,
  resolved: { order: Int32Array; seriesIn: number; seriesOut: number },
  active: readonly OutBlock[],
  fetchedAtMs: number,
  previous: Snapshot | undefined,
): Snapshot {
  const { order } = resolved;
  let size = 0;
  for (const block of active) if (block.served > 0) size += block.header.length;
  for (const i of order) size += lines.entries[i]!.out!.renderLen + lines.tailLength(i) + 1;
  const text = Buffer.from(new SharedArrayBuffer(size));
  const blocks: FamilyBlock[] = [];
  const { valueStart, valueEnd, tsStart, tsEnd, written } = lines;
  let o = 0;
  let k = 0;
  for (const block of active) {
    if (block.served === 0) continue;
    const start = o;
    o += block.header.copy(text, o);
    const bodyStart = o;
    for (const last = k + block.served; k < last; k++) {
      const i = order[k]!;
      const out = lines.entries[i]!.out!;
      // set() of a view: cheaper than Buffer#copy's argument checks, far cheaper than a loop over the bytes.
      text.set(out.render.subarray(out.renderOff, out.renderOff + out.renderLen), o);
      // From now on the series text is read from this output (no entry keeps an older one alive).
      out.render = text;
      out.renderOff = o;
      out.own = false;
      o += out.renderLen;
      const replaced = written.size > 0 ? written.get(i) : undefined;
      if (replaced !== undefined) o += text.write(replaced, o, 'utf8');
      else {
        // Values and timestamps are a few bytes: a loop costs less than any call.
        for (let v = valueStart[i]!, ve = valueEnd[i]!; v < ve; v++) text[o++] = body[v]!;
        const ts = tsStart[i]!;
        if (ts >= 0) {
          text[o++] = CH_SPACE;
          for (let v = ts, te = tsEnd[i]!; v < te; v++) text[o++] = body[v]!;
        }
      }
      text[o++] = CH_LF;
    }
    blocks.push({ name: block.name, type: block.type, start, bodyStart, end: o, gzHeader: [0, 0], gzBody: [0, 0] });
  }
  return withGzip(text, blocks, fetchedAtMs, resolved.seriesIn, resolved.seriesOut, previous);
}

/**
 * Compresses each block's header and body into a gzip member of its own; a member whose bytes are the same as
 * in `previous` (a gauge that did not move, a body repeated) is copied from it instead of compressed again.
 */
function withGzip(text: Buffer, blocks: FamilyBlock[], fetchedAtMs: number, seriesScraped: number, seriesServed: number, previous: Snapshot | undefined): Snapshot {
  const before = new Map<string, FamilyBlock>();
  if (previous) for (const b of previous.blocks) before.set(b.name, b);
  const members: Buffer[] = [];
  let at = 0;
  const member = (start: number, end: number, old: [number, number] | undefined, oldStart: number, oldEnd: number): [number, number] => {
    const same = old !== undefined && previous !== undefined && oldEnd - oldStart === end - start && text.compare(previous.text, oldStart, oldEnd, start, end) === 0;
    const gz = same ? previous.gzip.subarray(old[0], old[1]) : gzipSync(text.subarray(start, end), { level: GZIP_LEVEL });
    members.push(gz);
    at += gz.length;
    return [at - gz.length, at];
  };
  for (const block of blocks) {
    const old = before.get(block.name);
    block.gzHeader = member(block.start, block.bodyStart, old?.gzHeader, old?.start ?? 0, old?.bodyStart ?? 0);
    block.gzBody = member(block.bodyStart, block.end, old?.gzBody, old?.bodyStart ?? 0, old?.end ?? 0);
  }
  const gzip = Buffer.from(new SharedArrayBuffer(Math.max(at, 1)), 0, at);
  let g = 0;
  for (const m of members) g += m.copy(gzip, g);
  return Object.freeze({
    fetchedAtMs,
    text,
    gzip: members.length > 0 ? gzip : gzipSync(text, { level: GZIP_LEVEL }),
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
