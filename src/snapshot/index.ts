/** @module snapshot — one cycle's immutable result, swapped atomically, served until it is too old. */
export { assembleFamilies } from './assemble.js';
export type { Assembled } from './assemble.js';
export { createSnapshot, snapshotFromText, SnapshotStore } from './snapshot.js';
export type { Snapshot } from './snapshot.js';
export { mergeSnapshots } from './merge.js';
export type { MergedExposition } from './merge.js';
export { familyBlocks } from './family-blocks.js';
export type { FamilyBlock } from './family-blocks.js';
export { checkLimits } from './limits.js';
export type { LimitBreach, ScrapeLimits } from './limits.js';
export { describeLine, SnapshotBuilder } from './build.js';
export type { BuildOptions, BuildResult, Cardinality } from './build.js';
export { seriesEnd } from './series-key.js';
export { BuilderClient } from './builder-client.js';
