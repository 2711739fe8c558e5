/**
 * Relabels one exposition sample at a time, caching the result per distinct input series: Baseten's series
 * repeat every cycle, so a warm cycle is a lookup per sample. The cache is bounded and forgets series that
 * the last cycle did not see.
 */
import { isValidLabelName, isValidMetricName } from '../exposition/index.js';
import type { LabelPairs } from '../exposition/model.js';
import type { CompiledRules } from './index.js';
import { relabel, relabelWithTrace } from './index.js';

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

  private compute(name: string, labels: LabelPairs): SeriesOutcome {
    const decided = decideSeries(name, labels, this.rules);
    return decided.kept ? { ...decided, key: inputKey(decided.name, decided.labels) } : decided;
  }
}

export type SeriesDecision =
  | { kept: true; name: string; labels: LabelPairs }
  | { kept: false; reason: 'relabel' | 'invalid_name'; rule?: number };

/**
 * Whether one series can be served, and as what: the rules applied, then the checks of Prometheus's scrape
 * loop (a series that lost its name or got an invalid one is not kept) and of the text format (only classic
 * label names can be written). Labels come back sorted by name, empty values left out. This is the one
 * decision the pipeline, the CLI and the status page's debugger share.
 */
export function decideSeries(name: string, labels: LabelPairs, rules: CompiledRules): SeriesDecision {
  const input = new Map<string, string>();
  input.set('__name__', name);
  for (const [k, v] of labels) if (v !== '') input.set(k, v);
  const result = relabel(input, rules);
  // Which rule dropped it, for the status page: traced again, for dropped series only.
  if (result === null) return { kept: false, reason: 'relabel', rule: relabelWithTrace(input, rules).droppedBy ?? -1 };
  const newName = result.get('__name__');
  if (newName === undefined || !isValidMetricName(newName)) return { kept: false, reason: 'invalid_name' };
  const pairs: LabelPairs = [];
  for (const [k, v] of result) {
    if (k === '__name__' || v === '') continue;
    // Text format 0.0.4 can only carry classic label names; Prometheus 3's UTF-8 names cannot be served.
    if (!isValidLabelName(k)) return { kept: false, reason: 'invalid_name' };
    pairs.push([k, v]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { kept: true, name: newName, labels: pairs };
}

/** An unambiguous key for a name and label pairs (NUL cannot occur in a label name). */
function inputKey(name: string, labels: LabelPairs): string {
  let key = name;
  for (const [k, v] of labels) key += `\u0000${k}\u0000${v}`;
  return key;
}
