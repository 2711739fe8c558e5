/**
 * The immutable result of one good cycle: the relayed families rendered once into bytes and gzip bytes,
 * so that any number of scrapes cost a buffer write each. The gzip bytes are one gzip member per family
 * header and one per family body (back to back they are one valid gzip stream), so that the families of
 * several targets can be merged by copying members, never by compressing again.
 */
import { gzipSync } from 'node:zlib';
import { CH_LF, CH_SPACE } from '../exposition/index.js';
import type { CycleLines } from './cycle-lines.js';
import type { ServedLines } from './departed.js';
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
  /**
   * Every relayed line carries a timestamp (its own or the fetch time); a line without one is a series that
   * left, served once more so that Prometheus marks it stale (departed.ts): no sample of this fetch.
   */
  readonly stamped: boolean;
  /**
   * The time the lines carry when `stamped`: the fetch's, or an earlier fetch's when this body repeats that
   * one's within Baseten's refresh (SnapshotBuilder.repeat); `fetchedAtMs` otherwise.
   */
  readonly stampedAtMs: number;
  readonly text: Buffer;
  readonly gzip: Buffer;
  /** Where each family sits in `text` and in `gzip`, in order. */
  readonly blocks: readonly FamilyBlock[];
  readonly seriesScraped: number;
  readonly seriesServed: number;
}

/** Level 1: about three times cheaper than the default for 15 % more bytes, paid once per cycle. */
const GZIP_LEVEL = 1;

/** What a cycle's lines are written into a snapshot with. */
export interface SnapshotTime {
  fetchedAtMs: number;
  /** Write the fetch time as the timestamp of every line without one of its own (BuildOptions.sampleTimestamps). */
  stamp: boolean;
}

/** The snapshot before, what it served, and this cycle: to serve its departed series once more (departed.ts). */
export interface Departures {
  previous: Snapshot;
  served: ServedLines;
  cycle: number;
}

/** The departed lines of one block, to copy from the previous snapshot's text. */
interface DepartedBlock {
  /** The previous snapshot's block: its name, type and header bytes. */
  was: FamilyBlock;
  /** `[start, valueEnd)` of each line in the previous text, flat: start, end, start, end… */
  ranges: number[];
  /** Bytes the lines take in the output, line breaks included. */
  size: number;
}

/**
 * The lines `previous` served (as `served` recorded them) whose output series this cycle's snapshot does not
 * write (OutSeries.writtenCycle: Baseten stopped sending it, or the bridge now leaves it out), grouped by the
 * block they were served in.
 */
function departedLines(previous: Snapshot, served: ServedLines, cycle: number): Map<string, DepartedBlock> {
  const departed = new Map<string, DepartedBlock>();
  for (let k = 0; k < served.count; k++) {
    const end = served.valueEnd[k]!;
    if (end < 0 || served.outs[k]!.writtenCycle === cycle) continue;
    const was = previous.blocks[served.block[k]!]!;
    let block = departed.get(was.name);
    if (block === undefined) {
      block = { was, ranges: [], size: 0 };
      departed.set(was.name, block);
    }
    block.ranges.push(served.start[k]!, end);
    block.size += end - served.start[k]! + 1;
  }
  return departed;
}

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
  time: SnapshotTime,
  previous: Snapshot | undefined,
  served: ServedLines,
  departures?: Departures,
): Snapshot {
  const { order } = resolved;
  const { valueStart, valueEnd, tsStart, tsEnd, written } = lines;
  // ` 1796157786139`: the fetch time in milliseconds, as Prometheus's text format writes a timestamp.
  const stamp = time.stamp ? Buffer.from(` ${Math.round(time.fetchedAtMs)}`, 'latin1') : undefined;
  const writing = departures?.cycle ?? -1;
  let size = 0;
  for (const block of active) if (block.served > 0) size += block.header.length;
  for (const i of order) {
    const out = lines.entries[i]!.out!;
    out.writtenCycle = writing;
    size += out.renderLen + lines.tailLength(i) + 1 + (stamp !== undefined && tsStart[i]! < 0 ? stamp.length : 0);
  }
  // Read before `served` is overwritten with this snapshot's lines (it may be the same record): ranges, not indices.
  const departed =
    departures === undefined ? undefined : departedLines(departures.previous, departures.served, departures.cycle);
  const carried = (name: string): DepartedBlock | undefined =>
    departed === undefined || departed.size === 0 ? undefined : departed.get(name);
  if (departed !== undefined) {
    for (const d of departed.values()) {
      const now = active.find((b) => b.name === d.was.name && b.served > 0);
      // A block this cycle serves with another TYPE cannot take the old type's lines.
      if (now !== undefined && now.type !== d.was.type) departed.delete(d.was.name);
      else size += d.size + (now === undefined ? d.was.bodyStart - d.was.start : 0);
    }
  }
  const text = Buffer.from(new SharedArrayBuffer(size));
  const blocks: FamilyBlock[] = [];
  const carry = (d: DepartedBlock) => {
    const from = departures!.previous.text;
    for (let r = 0; r < d.ranges.length; r += 2) {
      o += from.copy(text, o, d.ranges[r]!, d.ranges[r + 1]!);
      text[o++] = CH_LF;
      served.carried++;
    }
    departed!.delete(d.was.name);
  };
  served.reset(order.length);
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
      const lineStart = o;
      // set() of a view: cheaper than Buffer#copy's argument checks, far cheaper than a loop over the bytes.
      text.set(out.render.subarray(out.renderOff, out.renderOff + out.renderLen), o);
      // From now on the series text is read from this output (no entry keeps an older one alive).
      out.render = text;
      out.renderOff = o;
      out.own = false;
      o += out.renderLen;
      const replaced = written.size > 0 ? written.get(i) : undefined;
      const ts = tsStart[i]!;
      if (replaced !== undefined) o += text.write(replaced, o, 'utf8');
      else {
        // Values and timestamps are a few bytes: a loop costs less than any call.
        for (let v = valueStart[i]!, ve = valueEnd[i]!; v < ve; v++) text[o++] = body[v]!;
        if (ts >= 0) {
          text[o++] = CH_SPACE;
          for (let v = ts, te = tsEnd[i]!; v < te; v++) text[o++] = body[v]!;
        }
      }
      served.add(out, lineStart, stamp !== undefined && ts < 0 ? o : -1, blocks.length);
      if (stamp !== undefined && ts < 0) for (let v = 0; v < stamp.length; v++) text[o++] = stamp[v]!;
      text[o++] = CH_LF;
    }
    const d = carried(block.name);
    if (d !== undefined) carry(d);
    blocks.push({ name: block.name, type: block.type, start, bodyStart, end: o, gzHeader: [0, 0], gzBody: [0, 0] });
  }
  // Departed series of families this cycle no longer serves at all: their old block, after the others.
  if (departed !== undefined) {
    for (const d of [...departed.values()]) {
      const start = o;
      o += departures!.previous.text.copy(text, o, d.was.start, d.was.bodyStart);
      const bodyStart = o;
      carry(d);
      blocks.push({ name: d.was.name, type: d.was.type, start, bodyStart, end: o, gzHeader: [0, 0], gzBody: [0, 0] });
    }
  }
  return withGzip(text, blocks, time, resolved.seriesIn, resolved.seriesOut, previous);
}

/**
 * Compresses each block's header and body into a gzip member of its own; a member whose bytes are the same as
 * in `previous` (a gauge that did not move, a body repeated) is copied from it instead of compressed again.
 */
function withGzip(
  text: Buffer,
  blocks: FamilyBlock[],
  time: SnapshotTime,
  seriesScraped: number,
  seriesServed: number,
  previous: Snapshot | undefined,
): Snapshot {
  const before = new Map<string, FamilyBlock>();
  if (previous) for (const b of previous.blocks) before.set(b.name, b);
  const members: Buffer[] = [];
  let at = 0;
  const member = (
    start: number,
    end: number,
    old: [number, number] | undefined,
    oldStart: number,
    oldEnd: number,
  ): [number, number] => {
    const same =
      old !== undefined &&
      previous !== undefined &&
      oldEnd - oldStart === end - start &&
      text.compare(previous.text, oldStart, oldEnd, start, end) === 0;
    const gz = same
      ? previous.gzip.subarray(old[0], old[1])
      : gzipSync(text.subarray(start, end), { level: GZIP_LEVEL });
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
    fetchedAtMs: time.fetchedAtMs,
    stamped: time.stamp,
    stampedAtMs: time.fetchedAtMs,
    text,
    gzip: members.length > 0 ? gzip : gzipSync(text, { level: GZIP_LEVEL }),
    blocks,
    seriesScraped,
    seriesServed,
  });
}

/** Whether a snapshot may be served at `nowMs`: not older than max staleness (the store's rule, and /metrics'). */
export function isFresh(snapshot: Snapshot, maxStalenessMs: number, nowMs: number): boolean {
  return nowMs - snapshot.fetchedAtMs <= maxStalenessMs;
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
    if (!s || !isFresh(s, this.maxStalenessMs(), this.now())) return undefined;
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
