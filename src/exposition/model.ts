/**
 * The parsed form of a Prometheus text (0.0.4) or OpenMetrics (1.0) exposition.
 * Shared by the parser, the renderer and the stages after them (relabel, snapshot).
 */

/** Metric types of both formats. Text 0.0.4 has counter, gauge, histogram, summary, untyped. */
export type MetricType =
  'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped' | 'unknown' | 'gaugehistogram' | 'stateset' | 'info';

/** Label pairs in the order they were written; never includes `__name__`. */
export type LabelPairs = Array<[name: string, value: string]>;

export interface Sample {
  /** The full sample name, e.g. `x_bucket` for family `x`. */
  name: string;
  labels: LabelPairs;
  value: number;
  /** Milliseconds since the epoch, when the exposition carried one. */
  timestampMs?: number;
  /** OpenMetrics only: the exemplar written after ` # ` on the sample's line. */
  exemplar?: Exemplar;
}

/** An OpenMetrics exemplar (`# {trace_id="abc"} 0.5 1700000000.5`). Text 0.0.4 has none. */
export interface Exemplar {
  labels: LabelPairs;
  value: number;
  /** Milliseconds since the epoch, when the exemplar carried one. */
  timestampMs?: number;
}

export interface MetricFamily {
  /** The family name (for a histogram `x`, not `x_bucket`). */
  name: string;
  type: MetricType;
  help?: string;
  unit?: string;
  samples: Sample[];
}

/** One line the parser could not read. `line` is 1-based; `excerpt` is at most 80 characters. */
/** A bounded class of invalid line, for counting: a sample line, a HELP/TYPE/UNIT line, or `# EOF` trouble. */
export type InvalidLineKind = 'sample' | 'metadata' | 'eof';

export interface InvalidLine {
  line: number;
  kind: InvalidLineKind;
  reason: string;
  excerpt: string;
}

/** The two text formats the parser reads and the renderer writes. */
export type ExpositionFormat = 'text' | 'openmetrics';
