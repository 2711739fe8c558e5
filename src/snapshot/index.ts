/**
 * @module snapshot — one cycle's immutable result, built incrementally, swapped atomically, served until it is
 * too old.
 */
export { isFresh, SnapshotStore } from './snapshot.js';
export type { Snapshot } from './snapshot.js';
export { mergeSnapshots } from './merge.js';
export type { MergedExposition } from './merge.js';
export { checkLimits } from './limits.js';
export { hashBytes, sameBytes } from './series-cache.js';
export type { LimitBreach, ScrapeLimits } from './limits.js';
export { describeLine, SnapshotBuilder } from './build.js';
export type { BuildOptions, BuildResult, BuildSuccess } from './build.js';
export type { Cardinality } from './resolve.js';
export { BuilderClient } from './builder-client.js';
export { BUILD_FAILURE_REASONS, DROP_REASONS } from './reasons.js';
export type { BuildFailureReason, DropReason, LimitReason } from './reasons.js';
