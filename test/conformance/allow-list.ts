/**
 * The deliberate differences between what Prometheus stores scraping Baseten directly and what it stores
 * scraping the bridge. Short on purpose: anything not here fails the suite. A generator block that makes one
 * of these cases tags its round with the tag and the metric names it may touch (payload.ts Allowance).
 *
 * Not listed because the suite accounts for them structurally (conformance.test.ts):
 * - a line Prometheus refuses fails its whole scrape (every series of the target goes stale), while the bridge
 *   skips that line and keeps the rest (up to max_invalid_line_ratio): such payloads are compared with a
 *   Prometheus scraping the reference body (the same lines, the refused ones removed);
 * - lines Prometheus 2.42 refuses but the bridge reads (a CR before the LF, blanks before a sample): the
 *   reference body holds them normalized;
 * - HELP text (the bridge appends its own suffix) and TYPE: metadata, not samples.
 */
import type { AllowTag, DiffKind } from './payload.js';

export const ALLOWED: Readonly<Record<AllowTag, { kinds: readonly DiffKind[]; why: string }>> = {
  // A histogram label set without a `+Inf` bucket (or a bucket without `le`) is useless to
  // histogram_quantile; the bridge leaves the whole label set out (snapshot/resolve.ts) and counts it
  // in series_dropped_total{reason="broken_histogram"}. Prometheus stores whatever is sent.
  'broken-histogram': { kinds: ['missing'], why: 'broken histograms are left out' },
  // An empty 200 is a failed fetch for the bridge (reason="parse"): it keeps serving the last good data until
  // max_staleness, where Prometheus stores an empty scrape and marks every series stale.
  'empty-body': { kinds: ['stale'], why: 'an empty body is counted as a failure' },
  // Likewise a body with metadata and no samples ("upstream body holds no samples").
  'no-samples-body': { kinds: ['stale'], why: 'a body without samples is counted as a failure' },
};
