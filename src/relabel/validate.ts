/**
 * Cross-field checks of one decoded rule, as model/relabel/relabel.go `Config.Validate` in Prometheus 3
 * with its default UTF-8 name validation, for the fields each action needs and forbids (actions.ts).
 * Prometheus stops at the first failed check; we report every problem, each on the field to change, keeping
 * Prometheus's wording and adding the fix in parentheses. Where two upstream checks would flag the same field
 * for one cause (keepequal with a replacement fails both "'replacement' can not be set" and "requires only
 * 'source_labels' and `target_label`"), only the first is reported.
 */
import { ACTIONS, type Forbidden } from './actions.js';
import { DEFAULTS } from './config.js';
import type { DecodedRule } from './decode.js';
import { isValidLabelName } from './label-set.js';

type ForbiddenField = Forbidden['fields'][number];

/**
 * Whether the rule sets a field away from its default. Prometheus compares `source_labels` with nil and the
 * regex by identity, so writing either at all counts, even unreadably; a broken field is otherwise skipped.
 */
const WRITTEN: Record<ForbiddenField, (rule: DecodedRule) => boolean> = {
  source_labels: (rule) => rule.sourceLabelsSet,
  regex: (rule) => rule.regexSet,
  separator: (rule) => !rule.broken.has('separator') && rule.separator !== DEFAULTS.separator,
  modulus: (rule) => !rule.broken.has('modulus') && rule.modulus !== 0n,
  target_label: (rule) => !rule.broken.has('target_label') && rule.targetLabel !== '',
  replacement: (rule) => !rule.broken.has('replacement') && rule.replacement !== DEFAULTS.replacement,
};

export function validateRule(rule: DecodedRule, problems: string[]): void {
  const { path, action, broken } = rule;
  const report = (field: ForbiddenField | 'action', problem: string): void => {
    problems.push(`${path}.${field}: ${problem}`);
  };
  if (broken.has('action')) return; // an unknown action has no rules to check against
  if (action === '') {
    report('action', 'relabel action cannot be empty (omit action for the default replace, or name an action)');
    return;
  }
  const { needs, forbids } = ACTIONS[action];
  const fix = (field: keyof typeof needs): string => `set ${field} to ${needs[field]}`;
  if (needs.modulus !== undefined && !broken.has('modulus') && rule.modulus === 0n) {
    report('modulus', `relabel configuration for ${action} requires non-zero modulus (${fix('modulus')})`);
  }
  const target = rule.targetLabel;
  if (needs.target_label !== undefined && !broken.has('target_label')) {
    if (target === '') {
      const problem = `relabel configuration for ${action} action requires 'target_label' value`;
      report('target_label', `${problem} (${fix('target_label')})`);
    } else if (!isValidLabelName(target)) {
      // Under UTF-8 validation a `$` template and a literal name are checked alike.
      const problem = `${JSON.stringify(target)} is invalid 'target_label' for ${action} action`;
      report('target_label', `${problem} (use a label name that is valid UTF-8)`);
    }
  }
  const replacement = rule.replacement;
  if (needs.replacement !== undefined && !broken.has('replacement') && !isValidLabelName(replacement)) {
    const problem = `${JSON.stringify(replacement)} is invalid 'replacement' for ${action} action`;
    report('replacement', `${problem} (${fix('replacement')})`);
  }
  for (const { fields, problem, reason } of forbids) {
    const why = reason === undefined ? '' : `: ${reason}`;
    for (const field of fields) if (WRITTEN[field](rule)) report(field, `${problem(action)} (remove ${field}${why})`);
  }
}
