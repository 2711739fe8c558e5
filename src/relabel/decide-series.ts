/**
 * "Can this series be served?" — the one decision the pipeline, `relabel-test`, `check-config` and the status
 * page's debugger all make, so they can never disagree: relabel, then (as Prometheus's scrape loop) a series
 * without a valid `__name__` is dropped, then every label name must be a classic one, because text format
 * 0.0.4 cannot carry Prometheus 3's UTF-8 names. Pure: the same input and rules always give the same verdict.
 */
import { isValidLabelName, isValidMetricName } from '../exposition/index.js';
import type { LabelPairs } from '../exposition/index.js';
import type { CompiledRules } from './compile.js';
import { relabel } from './process.js';
import { relabelWithTrace } from './trace.js';

/** Why a series the rules kept still cannot be served. */
export type InvalidName =
  { kind: 'no_name' } | { kind: 'metric_name'; name: string } | { kind: 'label_name'; name: string };

export type SeriesDecision =
  | { kept: true; name: string; labels: LabelPairs }
  /**
   * `rule`: the rule that dropped it, or the one that first produced the unservable name (absent: the input
   * had it).
   */
  | { kept: false; reason: 'relabel'; rule: number }
  | { kept: false; reason: 'invalid_name'; invalid: InvalidName; rule?: number };

function byName(a: readonly [string, string], b: readonly [string, string]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/** The relabeled labels → what /metrics would serve, or why it cannot. */
function servable(result: ReadonlyMap<string, string>): { name: string; labels: LabelPairs } | InvalidName {
  const name = result.get('__name__');
  if (name === undefined || name === '') return { kind: 'no_name' };
  if (!isValidMetricName(name)) return { kind: 'metric_name', name };
  const labels: LabelPairs = [];
  for (const [k, v] of result) {
    if (k === '__name__' || v === '') continue;
    if (!isValidLabelName(k)) return { kind: 'label_name', name: k };
    labels.push([k, v]);
  }
  labels.sort(byName);
  return { name, labels };
}

/** The first rule after which the offending name is present (undefined: it was in the input). */
function culprit(input: ReadonlyMap<string, string>, rules: CompiledRules, invalid: InvalidName): number | undefined {
  const present = (labels: ReadonlyMap<string, string>) =>
    invalid.kind === 'label_name'
      ? labels.has(invalid.name)
      : invalid.kind === 'metric_name'
        ? labels.get('__name__') === invalid.name
        : !labels.has('__name__');
  if (present(input)) return undefined;
  return relabelWithTrace(input, rules).steps.find((s) => s.labels !== null && present(s.labels))?.index;
}

/** A series as the rules see it: `__name__` first, empty values left out (they mean "absent"). */
export function seriesLabels(name: string, labels: LabelPairs): Map<string, string> {
  const input = new Map<string, string>([['__name__', name]]);
  for (const [k, v] of labels) if (v !== '') input.set(k, v);
  return input;
}

export function decideSeries(name: string, labels: LabelPairs, rules: CompiledRules): SeriesDecision {
  const input = seriesLabels(name, labels);
  const result = relabel(input, rules);
  // Which rule dropped it, for the status page: traced again, for dropped series only.
  if (result === null) return { kept: false, reason: 'relabel', rule: relabelWithTrace(input, rules).droppedBy ?? -1 };
  const verdict = servable(result);
  if ('kind' in verdict) {
    const rule = culprit(input, rules, verdict);
    return rule === undefined
      ? { kept: false, reason: 'invalid_name', invalid: verdict }
      : { kept: false, reason: 'invalid_name', invalid: verdict, rule };
  }
  return { kept: true, name: verdict.name, labels: verdict.labels };
}

/** The decision in words, for people (relabel-test, the debugger, logs). */
export function describeNotServed(decision: Exclude<SeriesDecision, { kept: true }>): string {
  const by = decision.rule === undefined ? '' : ` (rule ${decision.rule})`;
  if (decision.reason === 'relabel') return `dropped by rule ${decision.rule}`;
  const { invalid } = decision;
  switch (invalid.kind) {
    case 'no_name':
      return `not served: the rules removed __name__, and a series without a name is not served${by}`;
    case 'metric_name':
      return `not served: ${JSON.stringify(invalid.name)} is not a valid metric name in text format 0.0.4${by}`;
    case 'label_name':
      return (
        `not served: label name ${JSON.stringify(invalid.name)} cannot be ` +
        `written in text format 0.0.4 (use [a-zA-Z_][a-zA-Z0-9_]*)${by}`
      );
    default: {
      const unreachable: never = invalid;
      return String(unreachable);
    }
  }
}
