/**
 * The whole-cycle rules, applied to this cycle's lines from what their cache entries hold (no parsing): every
 * line goes to its output block; a series already served this cycle is a duplicate; a block keeps the TYPE
 * its first sample gave it; a histogram label set without a `+Inf` bucket (or with an unreadable `le`) is
 * left out whole with its `_sum` and `_count` (histogram_quantile needs the whole set); then the label limits, with
 * Prometheus's semantics (scrape/scrape.go: counted after relabeling, `__name__` included, UTF-8 bytes).
 * The served lines come out grouped by block in order of first appearance, body order within each block.
 */
import { SampleLineReader } from '../exposition/index.js';
import type { DropReason } from './reasons.js';
import type { CycleLines } from './cycle-lines.js';
import { checkLimits, type LimitBreach, type ScrapeLimits } from './limits.js';
import type { OutBlocks } from './out-blocks.js';
import { LE_INF, LE_NONE, type SeriesEntry } from './series-cache.js';

/** Series per served family and per label name, for the status page. */
export interface Cardinality {
  families: Array<[name: string, series: number]>;
  labels: Array<[name: string, series: number]>;
}

export type Resolved =
  | {
      ok: true;
      /** Line indices to serve, grouped by block (blocks in `active` order). */
      order: Int32Array;
      seriesIn: number;
      seriesOut: number;
      dropped: Map<DropReason, number>;
      droppedByRule: Map<number, number>;
      cardinality: Cardinality;
    }
  | { ok: false; breach: LimitBreach };

let scratchBlock = new Int32Array(1024);
let scratchLine = new Int32Array(1024);

export function resolveLines(
  lines: CycleLines,
  blocks: OutBlocks,
  cycle: number,
  limits: ScrapeLimits,
  labelSets: readonly string[][],
  route: (entry: SeriesEntry) => void,
): Resolved {
  blocks.beginCycle();
  const dropped = new Map<DropReason, number>();
  const drop = (reason: DropReason, n = 1) => dropped.set(reason, (dropped.get(reason) ?? 0) + n);
  const droppedByRule = new Map<number, number>();
  if (scratchLine.length < lines.count) {
    scratchLine = new Int32Array(lines.count * 2);
    scratchBlock = new Int32Array(lines.count * 2);
  }
  const keptLine = scratchLine;
  const keptBlock = scratchBlock;
  let kept = 0;
  for (let i = 0; i < lines.count; i++) {
    const e = lines.entries[i]!;
    const out = e.out;
    e.sampleName.seen = cycle;
    if (out === undefined) {
      drop(e.drop!);
      if (e.rule !== undefined) droppedByRule.set(e.rule, (droppedByRule.get(e.rule) ?? 0) + 1);
      continue;
    }
    if (e.routeVersion !== e.sampleName.version) route(e);
    const group = e.group;
    if (group !== undefined) group.seen = cycle;
    if (out.cycle === cycle) {
      drop('duplicate');
      continue;
    }
    out.cycle = cycle;
    const target = e.route!;
    const block = blocks.take(target, cycle);
    if (block === undefined) {
      drop('type_conflict');
      continue;
    }
    keptLine[kept] = i;
    keptBlock[kept++] = block.index;
    if (group === undefined) continue;
    if (group.cycle !== cycle) {
      group.cycle = cycle;
      group.buckets = false;
      group.complete = false;
      group.broken = false;
    }
    if (!target.bucket) continue;
    group.buckets = true;
    if (out.le === LE_INF) group.complete = true;
    else if (out.le === LE_NONE) group.broken = true;
  }

  // Broken histogram groups out; what is left is counted per block, per family and per set of label names.
  const active = blocks.active;
  const labelSetCounts = new Int32Array(labelSets.length);
  let seriesOut = 0;
  let broken = 0;
  for (let k = 0; k < kept; k++) {
    const e = lines.entries[keptLine[k]!]!;
    const g = e.group;
    if (g !== undefined && (g.broken || (g.buckets && !g.complete))) {
      keptBlock[k] = -1;
      broken++;
      continue;
    }
    const block = active[keptBlock[k]!]!;
    block.served++;
    block.family.served++;
    labelSetCounts[e.out!.labelSet]!++;
    seriesOut++;
  }
  if (broken > 0) drop('broken_histogram', broken);

  // A counting sort by block, keeping body order within each.
  const start = new Int32Array(active.length + 1);
  for (let b = 0; b < active.length; b++) start[b + 1] = start[b]! + active[b]!.served;
  const order = new Int32Array(seriesOut);
  for (let k = 0; k < kept; k++) {
    const b = keptBlock[k]!;
    if (b >= 0) order[start[b]!++] = keptLine[k]!;
  }

  const breach = checkServedLimits(lines, order, limits);
  if (breach) return { ok: false, breach };
  return {
    ok: true,
    order,
    seriesIn: lines.count,
    seriesOut,
    dropped,
    droppedByRule,
    cardinality: countSeries(blocks, labelSets, labelSetCounts),
  };
}

/** The label limits (sample_limit was checked while the body was read: no more series than it get this far). */
function checkServedLimits(lines: CycleLines, order: Int32Array, limits: ScrapeLimits): LimitBreach | undefined {
  const { labelLimit, labelNameLengthLimit: nameLimit, labelValueLengthLimit: valueLimit } = limits;
  if (labelLimit === 0 && nameLimit === 0 && valueLimit === 0) return undefined;
  for (const i of order) {
    const e = lines.entries[i]!;
    const out = e.out!;
    const over =
      (labelLimit > 0 && out.labelCount > labelLimit) ||
      (nameLimit > 0 && out.longestName > nameLimit) ||
      (valueLimit > 0 && out.longestValue > valueLimit);
    if (over) return describeBreach(e, limits);
  }
  return undefined;
}

/** The limits' own message for the series that broke one (its labels read again: a breach is rare). */
function describeBreach(e: SeriesEntry, limits: ScrapeLimits): LimitBreach {
  const generic: LimitBreach = { reason: 'label_limit', message: `label limits exceeded (metric: ${e.out!.name})` };
  return (
    checkLimits(
      [{ name: e.out!.name, type: 'untyped', samples: [{ name: e.out!.name, labels: labelsOf(e), value: 0 }] }],
      0,
      { ...limits, sampleLimit: 0 },
    ) ?? generic
  );
}

/** The served labels of an entry, read back from its rendered series. */
function labelsOf(e: SeriesEntry): Array<[string, string]> {
  const out = e.out!;
  const text = out.render.toString('utf8', out.renderOff, out.renderOff + out.renderLen);
  return new SampleLineReader().readSeries(text, 0, text.length, false)?.labels ?? [];
}

function countSeries(blocks: OutBlocks, labelSets: readonly string[][], labelSetCounts: Int32Array): Cardinality {
  const families = new Map<string, number>();
  for (const block of blocks.active) if (block.served > 0) families.set(block.family.name, block.family.served);
  const labels = new Map<string, number>();
  labelSetCounts.forEach((n, set) => {
    if (n === 0) return;
    for (const name of labelSets[set]!) labels.set(name, (labels.get(name) ?? 0) + n);
  });
  // By name: the order label sets were first cached in is history, not this body.
  return { families: [...families], labels: [...labels].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) };
}
