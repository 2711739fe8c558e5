/**
 * The warm cycle. The first good cycle with a given config (the cold one, through the full parser and the
 * relabel engine) leaves a replay plan (replay-plan.ts): for each sample line's raw series bytes, its
 * rendered series text or why it was dropped; and the families' headers in output order. The next cycles
 * read the body once, find each series in the plan and copy its value bytes after the cached text — no
 * label parsing, no relabeling, no string per line. Anything the plan does not cover exactly (a new series,
 * other metadata, a value that is not a plain number, a duplicate, a limit) returns undefined, and the
 * caller runs the cold path, which handles every case and makes a new plan.
 *
 * Baseten writes its series in the same order every time, so each line is first compared with the entry
 * after the last one found (one byte comparison, no hashing); only when that fails is the line's series
 * hashed and looked up.
 */
import { parseGoFloat, parseIntegerTimestamp } from '../exposition/index.js';
import type { DropReason } from '../selfmetrics/bridge-metrics.js';
import type { Cardinality } from './build.js';
import { hashBytes, type ReplayPlan } from './replay-plan.js';
import { seriesEnd } from './series-key.js';

export type { ReplayPlan } from './replay-plan.js';

export interface ReplayResult {
  text: Buffer;
  seriesIn: number;
  seriesOut: number;
  dropped: Map<DropReason, number>;
  droppedByRule: Map<number, number>;
  cardinality: Cardinality;
}

const NL = 0x0a;
const CR = 0x0d;
const HASH = 0x23;
const SPACE = 0x20;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/** The entry whose raw series bytes are body[start, keyEnd), or -1. */
function lookup(plan: ReplayPlan, body: Buffer, start: number, keyEnd: number): number {
  const found = plan.byHash.get(hashBytes(body, start, keyEnd));
  if (found === undefined) return -1;
  for (const e of typeof found === 'number' ? [found] : found) {
    if (body.compare(plan.keys, plan.keyStart[e]!, plan.keyStart[e + 1]!, start, keyEnd) === 0) return e;
  }
  return -1;
}

/**
 * True when body[i, end) is a decimal that Go's ParseFloat reads as a finite number: `[+-]?` digits with
 * an optional fraction and an optional exponent of at most two digits (with at most 20 integer digits
 * that cannot overflow float64). False means "not on the fast path", not "invalid".
 */
function isPlainDecimal(body: Buffer, i: number, end: number): boolean {
  let c = body[i];
  if (c === PLUS || c === MINUS) c = body[++i];
  let digits = 0;
  let intDigits = 0;
  while (i < end && c! >= ZERO && c! <= NINE) {
    intDigits++;
    c = body[++i];
  }
  digits += intDigits;
  if (i < end && c === DOT) {
    c = body[++i];
    while (i < end && c! >= ZERO && c! <= NINE) {
      digits++;
      c = body[++i];
    }
  }
  if (digits === 0 || intDigits > 20) return false;
  if (i < end && (c === LOWER_E || c === UPPER_E)) {
    c = body[++i];
    if (c === PLUS || c === MINUS) c = body[++i];
    let expDigits = 0;
    while (i < end && c! >= ZERO && c! <= NINE) {
      expDigits++;
      c = body[++i];
    }
    if (expDigits === 0 || expDigits > 2) return false;
  }
  return i === end;
}

/** The rest of a line after its series and one space: a Go float, then optionally one space and an integer timestamp. */
function isPlainValue(body: Buffer, start: number, end: number): boolean {
  if (isPlainDecimal(body, start, end)) return true;
  const rest = body.toString('latin1', start, end);
  const gap = rest.indexOf(' ');
  const value = gap < 0 ? rest : rest.slice(0, gap);
  // Copied as written, so it must be what Prometheus's parser reads: a Go float, then an integer timestamp.
  return parseGoFloat(value) !== undefined && (gap < 0 || parseIntegerTimestamp(rest.slice(gap + 1)) !== undefined);
}

export function replay(body: Buffer, plan: ReplayPlan): ReplayResult | undefined {
  const { keys, keyStart, family, labelSet, prefixStart } = plan;
  const n = family.length;
  const seen = new Uint8Array(n);
  const valueStart = new Int32Array(n);
  const valueEnd = new Int32Array(n);
  /** Served entries in body order. */
  const order = new Int32Array(n);
  const familyCount = new Int32Array(plan.headers.length);
  const labelSetCounts = new Int32Array(plan.labelSets.length);
  const dropped = new Map<DropReason, number>();
  const droppedByRule = new Map<number, number>();
  const comments: string[] = [];
  let seriesIn = 0;
  let seriesOut = 0;
  let outBytes = 0;
  let next = 0;
  for (let pos = 0; pos < body.length; ) {
    let lineEnd = body.indexOf(NL, pos);
    if (lineEnd < 0) lineEnd = body.length;
    let end = lineEnd;
    if (end > pos && body[end - 1] === CR) end--;
    const start = pos;
    pos = lineEnd + 1;
    if (end === start) continue;
    if (body[start] === HASH) {
      comments.push(body.toString('latin1', start, end));
      continue;
    }
    let e = -1;
    let keyEnd = -1;
    if (next < n) {
      const ks = keyStart[next]!;
      const ke = start + (keyStart[next + 1]! - ks);
      if (ke < end && body[ke] === SPACE && body.compare(keys, ks, keyStart[next + 1]!, start, ke) === 0) {
        e = next;
        keyEnd = ke;
      }
    }
    if (e < 0) {
      keyEnd = seriesEnd(body, start, end);
      if (keyEnd < 0 || body[keyEnd] !== SPACE) return undefined;
      e = lookup(plan, body, start, keyEnd);
      if (e < 0) return undefined;
    }
    if (seen[e] === 1) return undefined;
    seen[e] = 1;
    next = e + 1;
    seriesIn++;
    const f = family[e]!;
    if (f < 0) {
      const reason = plan.dropReason[e]!;
      dropped.set(reason, (dropped.get(reason) ?? 0) + 1);
      const rule = plan.dropRule[e]!;
      if (rule >= 0) droppedByRule.set(rule, (droppedByRule.get(rule) ?? 0) + 1);
      continue;
    }
    if (!isPlainValue(body, keyEnd + 1, end)) return undefined;
    valueStart[e] = keyEnd + 1;
    valueEnd[e] = end;
    order[seriesOut++] = e;
    familyCount[f] = familyCount[f]! + 1;
    const set = labelSet[e]!;
    labelSetCounts[set] = labelSetCounts[set]! + 1;
    outBytes += prefixStart[e + 1]! - prefixStart[e]! + (end - keyEnd);
  }
  if (comments.join('\n') !== plan.signature) return undefined;
  if (plan.sampleLimit > 0 && seriesOut > plan.sampleLimit) return undefined;

  // Group the served entries by family, keeping body order within each (a counting sort).
  const slot = new Int32Array(plan.headers.length);
  for (let f = 0, at = 0; f < plan.headers.length; f++) {
    slot[f] = at;
    at += familyCount[f]!;
    if (familyCount[f]! > 0) outBytes += plan.headers[f]!.length;
  }
  const grouped = new Int32Array(seriesOut);
  for (let i = 0; i < seriesOut; i++) {
    const e = order[i]!;
    grouped[slot[family[e]!]!++] = e;
  }
  const text = Buffer.allocUnsafe(outBytes);
  const { buffer: prefixMemory, byteOffset: prefixOffset } = plan.prefixes;
  let o = 0;
  for (let f = 0, i = 0; f < plan.headers.length; f++) {
    if (familyCount[f] === 0) continue;
    o += plan.headers[f]!.copy(text, o);
    for (const last = i + familyCount[f]!; i < last; i++) {
      const e = grouped[i]!;
      // A view and set() rather than Buffer#copy, whose argument checks cost more than the copy itself;
      // values are a few bytes, for which a loop is cheaper than any call.
      const p = prefixStart[e]!;
      const length = prefixStart[e + 1]! - p;
      text.set(new Uint8Array(prefixMemory, prefixOffset + p, length), o);
      o += length;
      for (let v = valueStart[e]!, ve = valueEnd[e]!; v < ve; v++) text[o++] = body[v]!;
      text[o++] = NL;
    }
  }
  return { text, seriesIn, seriesOut, dropped, droppedByRule, cardinality: count(plan, familyCount, labelSetCounts) };
}

/** Series per family and per label name, from this cycle's counts. */
function count(plan: ReplayPlan, familyCount: Int32Array, labelSetCounts: Int32Array): Cardinality {
  const labels = new Map<string, number>();
  plan.labelSets.forEach((names, i) => {
    for (const name of names) labels.set(name, (labels.get(name) ?? 0) + labelSetCounts[i]!);
  });
  const families = plan.familyNames.map((name, f): [string, number] => [name, familyCount[f]!]).filter(([, n]) => n > 0);
  return { families, labels: [...labels].filter(([, n]) => n > 0) };
}
