/**
 * The warm cycle. The first good cycle with a given config (the cold one, through the full parser and the
 * relabel engine) leaves a replay plan: for each distinct series, as raw bytes, its rendered series text
 * or why it was dropped; and the families' headers in output order. The next cycles read the body once,
 * look each series up and copy its value bytes after the cached text — no label parsing, no relabeling,
 * no string decoding. Anything the plan does not cover exactly (a new series, other metadata, a value that
 * is not a plain number, a duplicate, a limit) returns undefined, and the caller runs the cold path, which
 * handles every case and makes a new plan.
 */
import { parseGoFloat, parseIntegerTimestamp } from '../exposition/index.js';
import type { DropReason } from '../selfmetrics/bridge-metrics.js';
import type { Cardinality } from './build.js';
import { seriesEnd } from './series-key.js';

/** `labelSet` indexes ReplayPlan.labelSets: the label names of the rendered series, for counting. */
export type PlanEntry = { family: number; prefix: Buffer; labelSet: number } | { dropped: DropReason; rule?: number };

export interface ReplayPlan {
  /** Every comment line of the body (HELP, TYPE, ...), joined: the metadata the plan was made under. */
  signature: string;
  /** `# HELP` and `# TYPE` lines of each output family, in output order, and the families' names. */
  headers: Buffer[];
  familyNames: string[];
  /** The distinct sets of label names of the served series. */
  labelSets: string[][];
  /** Raw series bytes (as latin1 text, which maps bytes to code units one to one) → result. */
  entries: Map<string, PlanEntry>;
  sampleLimit: number;
}

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


export function replay(body: Buffer, plan: ReplayPlan): ReplayResult | undefined {
  const familyLines: number[][] = plan.headers.map(() => []);
  const prefixes: Buffer[] = [];
  const seen = new Set<PlanEntry>();
  const dropped = new Map<DropReason, number>();
  const droppedByRule = new Map<number, number>();
  const labelSetCounts: number[] = new Array<number>(plan.labelSets.length).fill(0);
  const comments: string[] = [];
  let seriesIn = 0;
  let seriesOut = 0;
  let outBytes = 0;
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
    const keyEnd = seriesEnd(body, start, end);
    if (keyEnd < 0 || body[keyEnd] !== SPACE) return undefined;
    const entry = plan.entries.get(body.toString('latin1', start, keyEnd));
    if (entry === undefined || seen.has(entry)) return undefined;
    seen.add(entry);
    seriesIn++;
    if ('dropped' in entry) {
      dropped.set(entry.dropped, (dropped.get(entry.dropped) ?? 0) + 1);
      if (entry.rule !== undefined) droppedByRule.set(entry.rule, (droppedByRule.get(entry.rule) ?? 0) + 1);
      continue;
    }
    // The rest of the line: one space, the value, and optionally one space and an integer timestamp.
    const rest = body.toString('latin1', keyEnd + 1, end);
    const gap = rest.indexOf(' ');
    const value = gap < 0 ? rest : rest.slice(0, gap);
    // Copied as written, so it must be what Prometheus's parser reads: a Go float, then an integer timestamp.
    if (parseGoFloat(value) === undefined || (gap >= 0 && parseIntegerTimestamp(rest.slice(gap + 1)) === undefined)) return undefined;
    familyLines[entry.family]!.push(prefixes.length, keyEnd + 1, end);
    labelSetCounts[entry.labelSet] = (labelSetCounts[entry.labelSet] ?? 0) + 1;
    prefixes.push(entry.prefix);
    outBytes += entry.prefix.length + (end - keyEnd - 1) + 1;
    seriesOut++;
  }
  if (comments.join('\n') !== plan.signature) return undefined;
  if (plan.sampleLimit > 0 && seriesOut > plan.sampleLimit) return undefined;

  for (let f = 0; f < plan.headers.length; f++) if (familyLines[f]!.length > 0) outBytes += plan.headers[f]!.length;
  const text = Buffer.allocUnsafe(outBytes);
  let o = 0;
  for (let f = 0; f < plan.headers.length; f++) {
    const lines = familyLines[f]!;
    if (lines.length === 0) continue;
    o += plan.headers[f]!.copy(text, o);
    for (let i = 0; i < lines.length; i += 3) {
      o += prefixes[lines[i]!]!.copy(text, o);
      o += body.copy(text, o, lines[i + 1]!, lines[i + 2]!);
      text[o++] = NL;
    }
  }
  return { text, seriesIn, seriesOut, dropped, droppedByRule, cardinality: count(plan, familyLines, labelSetCounts) };
}

/** Series per family (three numbers per line in familyLines) and per label name, from this cycle's lines. */
function count(plan: ReplayPlan, familyLines: number[][], labelSetCounts: number[]): Cardinality {
  const labels = new Map<string, number>();
  plan.labelSets.forEach((names, i) => {
    for (const name of names) labels.set(name, (labels.get(name) ?? 0) + labelSetCounts[i]!);
  });
  const families = plan.familyNames.map((name, f): [string, number] => [name, familyLines[f]!.length / 3]).filter(([, n]) => n > 0);
  return { families, labels: [...labels].filter(([, n]) => n > 0) };
}
