/**
 * A minimal writer of the Prometheus text format 0.0.4, private to the simulator (the bridge's own
 * renderer lives in src/exposition/ and is deliberately not reused: the simulator must stay an
 * independent witness of the format).
 *
 * Escaping follows the text format specification (docs/instrumenting/exposition_formats.md):
 * label values escape `\`, `"` and line feed; HELP text escapes `\` and line feed.
 */
import type { BucketSet } from './buckets.js';
import type { FamilySpec } from './families.js';

export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (ch) => (ch === '\n' ? '\\n' : `\\${ch}`));
}

export function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (ch) => (ch === '\n' ? '\\n' : '\\\\'));
}

/** Renders `name="value",…` (no braces) from pairs, escaping the values. */
export function labelPairs(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',');
}

/** Sample values as Go's ParseFloat reads them; `String(n)` is already shortest round-trip. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/**
 * Collects one exposition. A family's HELP and TYPE lines are written only once its first sample is,
 * so a family with no series (an LLM family in an organization without LLMs) leaves no trace, as in
 * client_golang's registry.
 */
export class ExpositionWriter {
  private readonly chunks: string[] = [];
  private name = '';
  private pendingHeader: string | undefined;
  private series = 0;

  /** Starts a family; its samples follow. */
  family(spec: Pick<FamilySpec, 'name' | 'type' | 'help'>): void {
    this.name = spec.name;
    this.pendingHeader = `# HELP ${spec.name} ${escapeHelp(spec.help)}\n# TYPE ${spec.name} ${spec.type}\n`;
  }

  /** One sample of the current family; `labels` are pre-rendered pairs (possibly empty), `format` writes the value. */
  sample(labels: string, value: number, suffix = '', format: (value: number) => string = formatValue): void {
    if (this.pendingHeader !== undefined) {
      this.chunks.push(this.pendingHeader);
      this.pendingHeader = undefined;
    }
    const braces = labels === '' ? '' : `{${labels}}`;
    this.chunks.push(`${this.name}${suffix}${braces} ${format(value)}\n`);
    this.series++;
  }

  /**
   * One histogram series set: cumulative `_bucket` per bound and `+Inf`, then `_sum` and `_count`.
   * `cumulativeCounts` holds one count per finite bound; `+Inf` is `count`.
   */
  histogram(labels: string, set: BucketSet, cumulativeCounts: readonly number[], sum: number, count: number): void {
    const prefix = labels === '' ? '' : `${labels},`;
    set.le.forEach((le, i) => {
      this.sample(`${prefix}le="${le}"`, i < cumulativeCounts.length ? (cumulativeCounts[i] ?? 0) : count, '_bucket');
    });
    this.sample(labels, sum, '_sum');
    this.sample(labels, count, '_count');
  }

  /** Number of samples (series) written so far. */
  get seriesCount(): number {
    return this.series;
  }

  text(): string {
    return this.chunks.join('');
  }
}
