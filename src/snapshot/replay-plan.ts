/**
 * Makes the replay plan from a cold cycle: each sample line's raw series bytes mapped to what the full
 * path made of it, and each output family's header. Only a clean cycle makes a plan (text format, no
 * invalid lines, no duplicates, nothing dropped as a broken histogram): anything else stays on the cold path.
 *
 * The plan is a handful of flat arrays indexed by entry (the body's sample lines, in body order), not an
 * object per series: at 250k series that is a few large allocations the garbage collector never walks.
 */
import { escapeHelpText } from '../exposition/index.js';
import type { MetricFamily, Sample } from '../exposition/model.js';
import type { DropReason } from '../selfmetrics/bridge-metrics.js';
import type { SampleOutcome } from './assemble.js';
import { seriesEnd } from './series-key.js';

export interface ReplayPlan {
  /** Every comment line of the body (HELP, TYPE, ...), joined: the metadata the plan was made under. */
  signature: string;
  /** `# HELP` and `# TYPE` lines of each output family, in output order, and the families' names. */
  headers: Buffer[];
  familyNames: string[];
  /** The distinct sets of label names of the served series. */
  labelSets: string[][];
  /** The raw series bytes of every entry, back to back: entry i is keys[keyStart[i], keyStart[i + 1]). */
  keys: Buffer;
  keyStart: Int32Array;
  /** Hash of an entry's raw series bytes (hashBytes) → the entry, or the entries when hashes collide. */
  byHash: Map<number, number | number[]>;
  /** Output family of each entry (an index into headers), or -1 when the entry is dropped. */
  family: Int32Array;
  /** Each served entry's index into labelSets. */
  labelSet: Int32Array;
  /** Why each dropped entry is dropped, and by which relabel rule (-1: not by a rule). */
  dropReason: Array<DropReason | undefined>;
  dropRule: Int32Array;
  /** The rendered series text and one space of every served entry, back to back, indexed as keys. */
  prefixes: Buffer;
  prefixStart: Int32Array;
  sampleLimit: number;
}

const NL = 0x0a;
const CR = 0x0d;
const HASH = 0x23;

/** FNV-1a over bytes [start, end): cheap, and only a first filter (a match is confirmed byte by byte). */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/** Start offset of every line (index 0 is line 1) and the comment lines, as the replay reads them. */
function scanLines(body: Buffer): { starts: number[]; ends: number[]; comments: string[] } {
  const starts: number[] = [];
  const ends: number[] = [];
  const comments: string[] = [];
  for (let pos = 0; pos < body.length; ) {
    let lineEnd = body.indexOf(NL, pos);
    if (lineEnd < 0) lineEnd = body.length;
    let end = lineEnd;
    if (end > pos && body[end - 1] === CR) end--;
    starts.push(pos);
    ends.push(end);
    if (end > pos && body[pos] === HASH) comments.push(body.toString('latin1', pos, end));
    pos = lineEnd + 1;
  }
  return { starts, ends, comments };
}

function header(family: MetricFamily): Buffer {
  const help = family.help !== undefined ? `# HELP ${family.name} ${escapeHelpText(family.help)}\n` : '';
  return Buffer.from(`${help}# TYPE ${family.name} ${family.type}\n`);
}

export function makeReplayPlan(
  body: Buffer,
  outcomes: ReadonlyArray<[Sample, SampleOutcome]>,
  sampleLines: ReadonlyMap<Sample, number>,
  families: readonly MetricFamily[],
  sampleLimit: number,
): ReplayPlan | undefined {
  const familyIndex = new Map(families.map((f, i) => [f.name, i]));
  const { starts, ends, comments } = scanLines(body);
  // Body order, so that a next cycle with the same series in the same order finds each one where expected.
  const lines: Array<[line: number, outcome: SampleOutcome]> = [];
  for (const [sample, outcome] of outcomes) {
    const line = sampleLines.get(sample);
    if (line === undefined) return undefined;
    lines.push([line, outcome]);
  }
  lines.sort((a, b) => a[0] - b[0]);

  const n = lines.length;
  const keyStart = new Int32Array(n + 1);
  const keyRanges: number[] = [];
  const family = new Int32Array(n).fill(-1);
  const labelSet = new Int32Array(n);
  const dropReason: Array<DropReason | undefined> = new Array<DropReason | undefined>(n).fill(undefined);
  const dropRule = new Int32Array(n).fill(-1);
  const prefixStart = new Int32Array(n + 1);
  const prefixTexts: string[] = [];
  const byHash = new Map<number, number | number[]>();
  const labelSets: string[][] = [];
  const labelSetIds = new Map<string, number>();
  for (let e = 0; e < n; e++) {
    const [line, outcome] = lines[e]!;
    const start = starts[line - 1]!;
    const keyEnd = seriesEnd(body, start, ends[line - 1]!);
    if (keyEnd < 0) return undefined;
    keyRanges.push(start, keyEnd);
    keyStart[e + 1] = keyStart[e]! + (keyEnd - start);
    const h = hashBytes(body, start, keyEnd);
    const same = byHash.get(h);
    if (same === undefined) byHash.set(h, e);
    else {
      const candidates = typeof same === 'number' ? [same] : same;
      for (const c of candidates) if (body.compare(body, keyRanges[2 * c]!, keyRanges[2 * c + 1]!, start, keyEnd) === 0) return undefined;
      byHash.set(h, [...candidates, e]);
    }
    if ('dropped' in outcome) {
      if (outcome.dropped !== 'relabel' && outcome.dropped !== 'invalid_name') return undefined;
      dropReason[e] = outcome.dropped;
      if (outcome.rule !== undefined) dropRule[e] = outcome.rule;
      prefixStart[e + 1] = prefixStart[e]!;
      continue;
    }
    const f = familyIndex.get(outcome.family);
    if (f === undefined) return undefined;
    family[e] = f;
    const names = outcome.labelNames.join('\u0000');
    let set = labelSetIds.get(names);
    if (set === undefined) {
      set = labelSets.push(outcome.labelNames) - 1;
      labelSetIds.set(names, set);
    }
    labelSet[e] = set;
    const prefix = `${outcome.series} `;
    prefixTexts.push(prefix);
    prefixStart[e + 1] = prefixStart[e]! + Buffer.byteLength(prefix);
  }
  const keys = Buffer.allocUnsafe(keyStart[n]!);
  for (let e = 0; e < n; e++) body.copy(keys, keyStart[e]!, keyRanges[2 * e]!, keyRanges[2 * e + 1]!);
  const prefixes = Buffer.from(prefixTexts.join(''));
  return {
    signature: comments.join('\n'),
    headers: families.map(header),
    familyNames: families.map((f) => f.name),
    labelSets,
    keys,
    keyStart,
    byHash,
    family,
    labelSet,
    dropReason,
    dropRule,
    prefixes,
    prefixStart,
    sampleLimit,
  };
}

/** A plan back from a structured clone (postMessage), which turns Buffers into plain Uint8Arrays. */
export function revivePlan(plan: ReplayPlan): ReplayPlan {
  const buffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
  return { ...plan, headers: plan.headers.map(buffer), keys: buffer(plan.keys), prefixes: buffer(plan.prefixes) };
}

/** The plan's large buffers, for a transfer list (only those that own their whole memory can move). */
export function planTransfer(plan: ReplayPlan): ArrayBuffer[] {
  return [plan.keys, plan.prefixes].filter((b) => b.byteOffset === 0 && b.byteLength === b.buffer.byteLength).map((b) => b.buffer as ArrayBuffer);
}
