/**
 * Relabels one exposition sample at a time, caching the result per distinct input series: Baseten's series
 * repeat every cycle, so a warm cycle is a lookup per sample. The cache is bounded and forgets series that
 * the last cycle did not see.
 */
import type { LabelPairs } from '../exposition/index.js';
import type { CompiledRules } from './compile.js';
import { decideSeries } from './decide-series.js';

export type SeriesOutcome =
  | { kept: true; name: string; labels: LabelPairs; key: string }
  | { kept: false; reason: 'relabel' | 'invalid_name'; rule?: number };

export class SeriesRelabelCache {
  private current = new Map<string, SeriesOutcome>();
  private previous = new Map<string, SeriesOutcome>();

  constructor(
    private readonly rules: CompiledRules,
    private readonly maxEntries = 2_000_000,
  ) {}

  /** Starts a cycle: what the previous cycle saw stays available, everything older is forgotten. */
  beginCycle(): void {
    this.previous = this.current;
    this.current = new Map();
  }

  /** Forgets everything. */
  clear(): void {
    this.current = new Map();
    this.previous = new Map();
  }

  get size(): number {
    return this.current.size;
  }

  apply(name: string, labels: LabelPairs): SeriesOutcome {
    const cacheKey = inputKey(name, labels);
    let outcome = this.current.get(cacheKey) ?? this.previous.get(cacheKey);
    if (outcome === undefined) outcome = this.compute(name, labels);
    if (this.current.size < this.maxEntries) this.current.set(cacheKey, outcome);
    return outcome;
  }

  /** The shared decision (decide-series.ts); the rule is kept for relabel drops only, as the status page counts them. */
  private compute(name: string, labels: LabelPairs): SeriesOutcome {
    const decision = decideSeries(name, labels, this.rules);
    if (decision.kept) return { kept: true, name: decision.name, labels: decision.labels, key: inputKey(decision.name, decision.labels) };
    return decision.reason === 'relabel' ? { kept: false, reason: 'relabel', rule: decision.rule } : { kept: false, reason: 'invalid_name' };
  }
}

/** An unambiguous key for a name and label pairs (NUL cannot occur in a label name). */
function inputKey(name: string, labels: LabelPairs): string {
  let key = name;
  for (const [k, v] of labels) key += `\u0000${k}\u0000${v}`;
  return key;
}
