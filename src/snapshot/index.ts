/** @module snapshot — one cycle's immutable result, swapped atomically, served until it is too old. */
export { assembleFamilies } from './assemble.js';
export type { Assembled } from './assemble.js';
export { createSnapshot, SnapshotStore } from './snapshot.js';
export type { Snapshot } from './snapshot.js';
export { checkLimits } from './limits.js';
export type { LimitBreach, ScrapeLimits } from './limits.js';
export { buildSnapshot, describeLine } from './build.js';
export type { BuildOptions, BuildResult } from './build.js';
