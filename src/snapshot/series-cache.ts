/**
 * The per-series cache, after Prometheus's scrape cache (scrape/scrape.go `scrapeCache`): a sample line's raw
 * series bytes map to what the full path made of that series, so a series seen before costs a lookup, not a
 * parse, a relabel and a render. Entries a cycle did not see are evicted at its end, so memory follows the
 * live series.
 *
 * An entry does not copy its key: it points at the bytes of the last body it was seen in (every live entry was
 * seen in the current body). The builder first tries the entry that followed the previous line's entry last
 * time (Baseten writes its series in the same order every time; LineScanner.nextWithSeries), which costs one
 * native byte comparison and no hashing; only when that fails is the line hashed and looked up. Series that
 * relabel to the same output share one OutSeries, which is how a duplicate after relabeling is found.
 */
import { isEngineSeries, type DeploymentIdentity } from '../relabel/index.js';
import type { DeploymentSlot } from './deployment-identities.js';
import type { DropReason } from './reasons.js';
import type { InputFamily } from './metadata.js';
import type { RouteTarget } from './routes.js';

/** What an `le` label says about a histogram bucket: none or unreadable (broken), `+Inf`, or a bound. */
export const LE_NONE = 0;
export const LE_INF = 1;
export const LE_FINITE = 2;

/** A served series: its rendered text and what the whole-cycle checks need of it. */
export class OutSeries {
  /** `name{labels} ` (with the space before the value) at render[renderOff, renderOff + renderLen). */
  render: Buffer;
  renderOff: number;
  /** The render is a copy of its own, not a view of an output or of the space new series are written to. */
  own = false;
  next: OutSeries | undefined;
  refs = 0;
  /** The last cycle that served it, and the last that read a line of it (for the early sample limit). */
  cycle = -1;
  readCycle = -1;
  /** The last cycle whose snapshot wrote it (not left out as a duplicate, broken or conflicting): departed.ts. */
  writtenCycle = -1;

  constructor(
    render: Buffer,
    renderOff: number,
    readonly renderLen: number,
    readonly hash: number,
    readonly name: string,
    /** Index of its label names in the cache's label-name sets (cardinality per label). */
    readonly labelSet: number,
    readonly labelCount: number,
    readonly longestName: number,
    readonly longestValue: number,
    readonly le: number,
    /** Its labels without `le`, shared by the series of one histogram group. */
    readonly groupKey: string,
  ) {
    this.render = render;
    this.renderOff = renderOff;
  }
}

export class HistogramGroup {
  /** The last cycle a line of the group was read in; the cycle the flags below are for. */
  seen = -1;
  cycle = -1;
  buckets = false;
  complete = false;
  broken = false;
}

/**
 * What a sample name means in the current body: its input family. Shared by every entry of that name, so
 * that a change of metadata re-routes only the entries whose family changed (`version`).
 */
export class SampleName {
  seen = -1;
  version = 0;
  /** A serving engine's series (relabel/engine-identity.ts): its deployment's identity is attached. */
  readonly engine: boolean;
  family: InputFamily | undefined;
  /** The route under the current version: of the name itself, and of any other output name (made when needed). */
  route: RouteTarget | undefined;
  renamed: Map<string, RouteTarget> | undefined;

  constructor(readonly name: string) {
    this.engine = isEngineSeries(name);
  }
}

/** What the full path made of a series: kept as `out`, or dropped for `drop` (by `rule`, when a rule did). */
export interface Decision {
  out: OutSeries | undefined;
  drop: DropReason | undefined;
  rule: number | undefined;
}

/** One distinct raw series, and what becomes of it. */
export class SeriesEntry {
  key: Buffer;
  keyOff: number;
  next: SeriesEntry | undefined;
  /** The entry that followed this one in the last body. */
  follower: SeriesEntry | undefined;
  seen = -1;
  /** Where it is served, as decided under version `routeVersion` of its name; the histogram group it is checked in. */
  routeVersion = -1;
  route: RouteTarget | undefined;
  group: HistogramGroup | undefined;
  /**
   * Its deployment (deployment-identities.ts): for a platform series, the one whose `identity` it states; for
   * an engine series (sampleName.engine), the one whose identity it was decided with (`identity`).
   */
  deployment: DeploymentSlot | undefined;
  identity: DeploymentIdentity | undefined;
  out: OutSeries | undefined;
  drop: DropReason | undefined;
  rule: number | undefined;

  constructor(
    key: Buffer,
    keyOff: number,
    readonly keyLen: number,
    readonly hash: number,
    readonly sampleName: SampleName,
    decision: Decision,
  ) {
    this.key = key;
    this.keyOff = keyOff;
    this.out = decision.out;
    this.drop = decision.drop;
    this.rule = decision.rule;
  }
}

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** FNV-1a over bytes [start, end): cheap, and only a first filter (a match is confirmed byte by byte). */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, FNV_PRIME);
  // A signed 32-bit integer is a small integer to V8: a Map keyed by it neither allocates nor hashes a double.
  return h | 0;
}

/** a[aOff, aOff + length) equals b[bOff, bOff + length) (natively: faster than a loop from about 20 bytes). */
export function sameBytes(a: Buffer, aOff: number, b: Buffer, bOff: number, length: number): boolean {
  return b.compare(a, aOff, aOff + length, bOff, bOff + length) === 0;
}

export class SeriesCache {
  private readonly entries = new Map<number, SeriesEntry>();
  private readonly outputs = new Map<number, OutSeries>();
  private readonly labelSetIds = new Map<string, number>();
  readonly labelSets: string[][] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The hash of the bytes the last find looked up (a miss inserts under it without hashing again). */
  lastHash = 0;

  /** The entry whose raw series bytes are body[start, end), or undefined. */
  find(body: Buffer, start: number, end: number): SeriesEntry | undefined {
    const length = end - start;
    this.lastHash = hashBytes(body, start, end);
    for (let e = this.entries.get(this.lastHash); e !== undefined; e = e.next) {
      if (e.keyLen === length && sameBytes(e.key, e.keyOff, body, start, length)) return e;
    }
    return undefined;
  }

  insert(entry: SeriesEntry): void {
    entry.next = this.entries.get(entry.hash);
    this.entries.set(entry.hash, entry);
    this.count++;
    if (entry.out !== undefined) entry.out.refs++;
  }

  /** The OutSeries with this rendered text, shared, or `candidate` itself when it is the first. */
  output(candidate: OutSeries): OutSeries {
    const held = this.peekOutput(candidate);
    if (held !== candidate) return held;
    candidate.next = this.outputs.get(candidate.hash);
    this.outputs.set(candidate.hash, candidate);
    return candidate;
  }

  /** The OutSeries already held with this rendered text, or `candidate` (not held: for a series not cached). */
  peekOutput(candidate: OutSeries): OutSeries {
    const { render, renderLen } = candidate;
    for (let o = this.outputs.get(candidate.hash); o !== undefined; o = o.next) {
      if (o.renderLen === renderLen && sameBytes(o.render, o.renderOff, render, candidate.renderOff, renderLen))
        return o;
    }
    return candidate;
  }

  /** Index of a list of label names, for counting series per label name. */
  labelSet(names: string[]): number {
    const key = names.join('\u0000');
    let id = this.labelSetIds.get(key);
    if (id === undefined) {
      id = this.labelSets.push(names) - 1;
      this.labelSetIds.set(key, id);
    }
    return id;
  }

  /** Takes entries out again (the new series of a body refused while it was read). */
  remove(gone: readonly SeriesEntry[]): void {
    for (const entry of gone) {
      let previous: SeriesEntry | undefined;
      for (let e = this.entries.get(entry.hash); e !== undefined; previous = e, e = e.next) {
        if (e !== entry) continue;
        if (previous !== undefined) previous.next = e.next;
        else if (e.next !== undefined) this.entries.set(entry.hash, e.next);
        else this.entries.delete(entry.hash);
        this.count--;
        if (e.out !== undefined && --e.out.refs === 0) this.forget(e.out);
        break;
      }
    }
  }

  /**
   * Ends a cycle: with `evict`, entries the cycle did not see go (as scrapeCache.iterDone); every render that
   * is not a view of `output` (the cycle's served bytes) becomes a copy of its own, so no entry keeps an old
   * output or the scratch space alive.
   */
  sweep(cycle: number, evict: boolean, output: Buffer | undefined): void {
    // forEach, not for…of: an iterator makes an entry array per series, 18 MB of garbage a cycle at 250k.
    this.entries.forEach((head, hash) => {
      let kept: SeriesEntry | undefined;
      let last: SeriesEntry | undefined;
      for (let e: SeriesEntry | undefined = head; e !== undefined;) {
        const following: SeriesEntry | undefined = e.next;
        if (evict && e.seen !== cycle) {
          this.count--;
          if (e.out !== undefined && --e.out.refs === 0) this.forget(e.out);
        } else {
          if (e.out !== undefined && e.out.render !== output && !e.out.own) ownRender(e.out);
          if (last === undefined) kept = e;
          else last.next = e;
          last = e;
        }
        e = following;
      }
      if (last !== undefined) last.next = undefined;
      if (kept === undefined) this.entries.delete(hash);
      else if (kept !== head) this.entries.set(hash, kept);
    });
  }

  /**
   * A cached entry decided again (an engine series whose deployment's identity changed): it holds the new
   * output from now on, and the old one goes when no entry holds it.
   */
  decideAgain(entry: SeriesEntry, decision: Decision): void {
    // Only a cached entry (a key of its own: inserted) counts in its output's refs.
    const held = entry.keyLen > 0;
    if (held && entry.out !== undefined && --entry.out.refs === 0) this.forget(entry.out);
    entry.out = decision.out;
    entry.drop = decision.drop;
    entry.rule = decision.rule;
    if (held && decision.out !== undefined) decision.out.refs++;
    // Routed again under the new output's name.
    entry.routeVersion = -1;
    entry.route = undefined;
    entry.group = undefined;
  }

  private forget(out: OutSeries): void {
    let previous: OutSeries | undefined;
    for (let o = this.outputs.get(out.hash); o !== undefined; previous = o, o = o.next) {
      if (o !== out) continue;
      if (previous !== undefined) previous.next = o.next;
      else if (o.next !== undefined) this.outputs.set(out.hash, o.next);
      else this.outputs.delete(out.hash);
      return;
    }
  }
}

function ownRender(out: OutSeries): void {
  out.render = Buffer.from(out.render.subarray(out.renderOff, out.renderOff + out.renderLen));
  out.renderOff = 0;
  out.own = true;
}
