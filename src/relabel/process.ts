/**
 * Applies compiled rules to one series, as model/relabel/relabel.go `Process`: rules run in order on one
 * label set, and the first rule that drops the series ends it. Pure: the input map is never touched.
 */
import { goToLower, goToUpper } from './case-map.js';
import type { CompiledRule, CompiledRules } from './compile.js';
import { expand } from './expand.js';
import { hashmod } from './hashmod.js';
import { isValidLabelName, LabelState, type Labels } from './label-set.js';

/** The source labels' values joined by the separator; a missing label counts as "" (two missing: ";"). */
function sourceValue(rule: CompiledRule, labels: LabelState): string {
  const names = rule.sourceLabels;
  if (names.length === 1) return labels.get(names[0] as string);
  let value = '';
  for (let i = 0; i < names.length; i++) {
    if (i > 0) value += rule.separator;
    value += labels.get(names[i] as string);
  }
  return value;
}

function replace(rule: Extract<CompiledRule, { action: 'replace' }>, labels: LabelState, value: string): void {
  let target: string;
  let result: string;
  if (rule.target.literal !== null && rule.replacement.literal !== null) {
    // No `$` anywhere: only whether the regex matches matters, which needs no submatch positions.
    if (!rule.regex.test(value)) return;
    target = rule.target.literal;
    result = rule.replacement.literal;
  } else {
    const match = rule.regex.firstMatch(value);
    if (match === null) return; // no match, no replacement
    target = expand(rule.target, value, match);
    // A target that expands to an invalid name (under UTF-8 validation: empty) is skipped silently.
    if (!isValidLabelName(target)) return;
    result = expand(rule.replacement, value, match);
  }
  labels.set(target, result); // an empty result deletes the target label
}

/**
 * Go iterates a snapshot of the labels (`Builder.Range`) and sets each mapped name as it goes; the source
 * labels stay. Reads come from the snapshot only, so collecting the matches first and setting them afterwards,
 * in the same order, makes exactly the same Set calls, without copying every label.
 */
function labelmap(rule: Extract<CompiledRule, { action: 'labelmap' }>, labels: LabelState): void {
  let pending: string[] | undefined;
  for (const [name, value] of labels.map) {
    const mapped = rule.mapName.get(name);
    if (mapped !== null) (pending ??= []).push(mapped, value);
  }
  if (pending === undefined) return;
  for (let i = 0; i < pending.length; i += 2) labels.set(pending[i] as string, pending[i + 1] as string);
}

/** Runs one rule; returns false when the rule drops the series. */
export function applyRule(rule: CompiledRule, labels: LabelState): boolean {
  switch (rule.action) {
    case 'drop':
      return !rule.regex.test(sourceValue(rule, labels));
    case 'keep':
      return rule.regex.test(sourceValue(rule, labels));
    case 'dropequal':
      return labels.get(rule.target) !== sourceValue(rule, labels);
    case 'keepequal':
      return labels.get(rule.target) === sourceValue(rule, labels);
    case 'replace':
      replace(rule, labels, sourceValue(rule, labels));
      return true;
    case 'lowercase':
      labels.set(rule.target, goToLower(sourceValue(rule, labels)));
      return true;
    case 'uppercase':
      labels.set(rule.target, goToUpper(sourceValue(rule, labels)));
      return true;
    case 'hashmod':
      labels.set(rule.target, hashmod(sourceValue(rule, labels), rule.modulus));
      return true;
    case 'labelmap':
      labelmap(rule, labels);
      return true;
    case 'labeldrop':
      for (const name of labels.map.keys()) if (rule.regex.test(name)) labels.delete(name);
      return true;
    case 'labelkeep':
      for (const name of labels.map.keys()) if (!rule.regex.test(name)) labels.delete(name);
      return true;
    default: {
      const unreachable: never = rule;
      throw new Error(`relabel: unknown action in ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Only labelmap observes the Builder's iteration order, so only then is it worth keeping. */
export function needsOrder(rules: CompiledRules): boolean {
  for (const rule of rules.rules) if (rule.action === 'labelmap') return true;
  return false;
}

/** The relabelled labels of one series, or null when a rule dropped it. */
export function relabel(labels: Labels, rules: CompiledRules): Map<string, string> | null {
  const state = new LabelState(labels, needsOrder(rules));
  for (const rule of rules.rules) if (!applyRule(rule, state)) return null;
  return state.map;
}
