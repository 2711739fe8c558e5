/**
 * One exposition from the snapshots of several targets: each family once, its header from the first target
 * that has it, then the samples of every target that has it. Text and gzip are both lists of slices of the
 * snapshots' bytes (the gzip from each snapshot's per-family members): merging copies nothing and compresses
 * nothing, and a scrape writes the slices one after the other.
 * Targets carry distinct static labels (checked when the config loads), so no series can repeat.
 */
import type { FamilyBlock, Snapshot } from './snapshot.js';

export interface MergedExposition {
  text: readonly Buffer[];
  gzip: readonly Buffer[];
  /** Families left out of a later target because an earlier one gave the same name another type. */
  typeConflicts: Array<{ family: string; snapshot: number }>;
}

export function mergeSnapshots(snapshots: readonly Snapshot[]): MergedExposition {
  if (snapshots.length === 1) return { text: [snapshots[0]!.text], gzip: [snapshots[0]!.gzip], typeConflicts: [] };
  const order: string[] = [];
  const parts = new Map<string, { type: string; from: Array<[Snapshot, FamilyBlock]> }>();
  const typeConflicts: MergedExposition['typeConflicts'] = [];
  snapshots.forEach((snapshot, index) => {
    for (const block of snapshot.blocks) {
      const entry = parts.get(block.name);
      if (!entry) {
        order.push(block.name);
        parts.set(block.name, { type: block.type, from: [[snapshot, block]] });
      } else if (entry.type === block.type) {
        entry.from.push([snapshot, block]);
      } else {
        typeConflicts.push({ family: block.name, snapshot: index });
      }
    }
  });
  const text: Buffer[] = [];
  const gzip: Buffer[] = [];
  for (const name of order) {
    const { from } = parts.get(name)!;
    const [first, head] = from[0]!;
    text.push(first.text.subarray(head.start, head.bodyStart));
    gzip.push(first.gzip.subarray(head.gzHeader[0], head.gzHeader[1]));
    for (const [snapshot, block] of from) {
      text.push(snapshot.text.subarray(block.bodyStart, block.end));
      gzip.push(snapshot.gzip.subarray(block.gzBody[0], block.gzBody[1]));
    }
  }
  return { text, gzip, typeConflicts };
}
