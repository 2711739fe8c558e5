/**
 * The build's vocabulary: why a series read from Baseten was not served, and why a whole body could not be
 * built into a snapshot. Both are `reason` label values of the bridge's own metrics, so both sets are bounded.
 */

/** Why a series was not served (`baseten_bridge_series_dropped_total{reason}`). */
export const DROP_REASONS = ['relabel', 'invalid_name', 'duplicate', 'broken_histogram', 'type_conflict'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/**
 * Why a body built no snapshot (some of the `reason` values of `baseten_bridge_fetch_failures_total`): it
 * could not be read as metrics, or it broke Prometheus's sample or label limits (limits.ts), or the builder
 * itself failed (`builder_failed`: its thread exited, out of memory or on a bug; nothing to do with Baseten's body
 * being unreadable, so not `parse`).
 */
export const BUILD_FAILURE_REASONS = ['parse', 'sample_limit', 'label_limit', 'builder_failed'] as const;
export type BuildFailureReason = (typeof BUILD_FAILURE_REASONS)[number];

/** The limits' share of them. */
export type LimitReason = Exclude<BuildFailureReason, 'parse' | 'builder_failed'>;
