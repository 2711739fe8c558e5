/**
 * Relabelling with every intermediate label set recorded, for `relabel-test` and the status page: the same
 * rules and the same code path as `relabel`, plus a copy of the labels after each rule that ran.
 */
import type { CompiledRules } from './compile.js';
import { LabelState, type Labels } from './label-set.js';
import { needsOrder } from './process.js';

export interface RelabelStep {
  /** Position of the rule in the configured list. */
  index: number;
  /** The rule's action, lowercased. */
  action: string;
  /** The labels after the rule, or null when it dropped the series (it is then the last step). */
  labels: Map<string, string> | null;
}

export interface RelabelTrace {
  steps: RelabelStep[];
  result: Map<string, string> | null;
  /** Index of the rule that dropped the series, if one did. */
  droppedBy?: number;
}

export function relabelWithTrace(labels: Labels, rules: CompiledRules): RelabelTrace {
  const state = new LabelState(labels, needsOrder(rules));
  const steps: RelabelStep[] = [];
  for (const rule of rules.rules) {
    if (!rule.apply(state)) {
      steps.push({ index: rule.index, action: rule.action, labels: null });
      return { steps, result: null, droppedBy: rule.index };
    }
    steps.push({ index: rule.index, action: rule.action, labels: state.copy() });
  }
  return { steps, result: state.copy() };
}
