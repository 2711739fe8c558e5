/**
 * Applies compiled rules to one series, as model/relabel/relabel.go `Process`: rules run in order on one
 * label set, and the first rule that drops the series ends it. Pure: the input map is never touched.
 * What each action does is its entry in actions.ts.
 */
import type { CompiledRules } from './compile.js';
import { LabelState, type Labels } from './label-set.js';

/** Only an action that observes the Builder's iteration order (labelmap) makes it worth keeping. */
export function needsOrder(rules: CompiledRules): boolean {
  for (const rule of rules.rules) if (rule.observesOrder) return true;
  return false;
}

/** The relabelled labels of one series, or null when a rule dropped it. */
export function relabel(labels: Labels, rules: CompiledRules): Map<string, string> | null {
  const state = new LabelState(labels, needsOrder(rules));
  for (const rule of rules.rules) if (!rule.apply(state)) return null;
  return state.map;
}
