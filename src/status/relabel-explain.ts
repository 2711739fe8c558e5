/**
 * Runs pasted series through relabel rules the way the pipeline does and says what happened at each rule:
 * `relabelWithTrace` for the steps, and the pipeline's own decision (`decideSeries`) for the verdict, so the
 * debugger can never disagree with what /metrics serves (a series whose rules removed `__name__` or produced
 * a name text format cannot carry is kept by the rules yet not served).
 */
import { formatLabels, type LabelPairs } from '../exposition/index.js';
import {
  decideSeries,
  relabelWithTrace,
  seriesLabels,
  withIdentity,
  type CompiledRules,
  type DeploymentIdentity,
  type InvalidName,
} from '../relabel/index.js';
import type { InputSeries } from './relabel-input.js';

export type LabelObject = Record<string, string>;

export interface LabelChange {
  label: string;
  /** null: the rule added the label. */
  before: string | null;
  /** null: the rule removed the label. */
  after: string | null;
}

export interface ExplainedStep {
  /** Position of the rule in the list traced; -1 for the step that attaches an engine series' identity. */
  rule: number;
  /** The rule's action, or `identity` (the deployment's model_id, model_name and environment attached). */
  action: string;
  /** The identity step: the deployment whose identity was attached. */
  deployment?: string;
  /** The labels after the rule, or null when it dropped the series. */
  labels: LabelObject | null;
  changes: LabelChange[];
}

export interface ExplainedSeries {
  /** 1-based line of the input text. */
  line: number;
  /** The series as the rules saw it: `__name__` included, empty values left out (they mean "absent"). */
  input: LabelObject;
  inputText: string;
  steps: ExplainedStep[];
  /** Whether /metrics would serve the series. */
  kept: boolean;
  /** The series as served (kept only). */
  result: LabelObject | null;
  outputText?: string;
  /** The rule that dropped it. */
  droppedBy?: number;
  /** Why a series the rules kept is still not served. */
  reason?: string;
}

/** `__name__` first, then by name in byte order, as Prometheus sorts labels. */
function toObject(labels: ReadonlyMap<string, string>): LabelObject {
  const names = [...labels.keys()].filter((n) => n !== '__name__').sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const name = labels.get('__name__');
  return Object.fromEntries([
    ...(name === undefined ? [] : [['__name__', name]]),
    ...names.map((n) => [n, labels.get(n)!]),
  ]);
}

function diff(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): LabelChange[] {
  const changes: LabelChange[] = [];
  for (const [label, value] of before) {
    const next = after.get(label);
    if (next !== value) changes.push({ label, before: value, after: next ?? null });
  }
  for (const [label, value] of after) if (!before.has(label)) changes.push({ label, before: null, after: value });
  return changes.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/** Why the pipeline would not serve a relabeled series (decideSeries decides; this says why in words). */
function notServedReason(invalid: InvalidName): string {
  switch (invalid.kind) {
    case 'no_name':
      return 'the rules removed __name__, and a series without a name is not served';
    case 'metric_name':
      return (
        `${JSON.stringify(invalid.name)} is not a valid metric name in text ` +
        `format 0.0.4, so the series is not served`
      );
    case 'label_name':
      return (
        `label name ${JSON.stringify(invalid.name)} cannot be written in text ` +
        `format 0.0.4, so the series is not served`
      );
    default: {
      const unreachable: never = invalid;
      return String(unreachable);
    }
  }
}

/**
 * `identities`: the deployments' Baseten identities (relabel/engine-identity.ts), attached to an engine series before
 * the rules as the pipeline attaches them, shown as a step of its own.
 */
export function explainSeries(
  series: readonly InputSeries[],
  rules: CompiledRules,
  identities: ReadonlyMap<string, DeploymentIdentity> = new Map(),
): ExplainedSeries[] {
  return series.map(({ line, name, labels: sent }) => {
    const input = seriesLabels(name, sent);
    const { labels, attached } = withIdentity(name, sent, identities);
    const identified = seriesLabels(name, labels);
    const steps: ExplainedStep[] = [];
    if (attached !== undefined)
      steps.push({
        rule: -1,
        action: 'identity',
        deployment: attached.deploymentId,
        labels: toObject(identified),
        changes: diff(input, identified),
      });
    const trace = relabelWithTrace(identified, rules);
    let previous: ReadonlyMap<string, string> = identified;
    for (const step of trace.steps) {
      const changes = step.labels === null ? [] : diff(previous, step.labels);
      if (step.labels !== null) previous = step.labels;
      steps.push({ rule: step.index, action: step.action, labels: step.labels && toObject(step.labels), changes });
    }
    const inputPairs: LabelPairs = [...input].filter(([k]) => k !== '__name__');
    const explained: ExplainedSeries = {
      line,
      input: toObject(input),
      inputText: name + formatLabels(inputPairs),
      steps,
      kept: false,
      result: null,
    };
    const decision = decideSeries(name, labels, rules);
    if (decision.kept) {
      return {
        ...explained,
        kept: true,
        result: { __name__: decision.name, ...Object.fromEntries(decision.labels) },
        outputText: decision.name + formatLabels(decision.labels),
      };
    }
    if (decision.reason === 'relabel') return { ...explained, droppedBy: decision.rule };
    return { ...explained, reason: notServedReason(decision.invalid) };
  });
}
