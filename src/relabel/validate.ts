/**
 * Cross-field checks of one decoded rule, as model/relabel/relabel.go `Config.Validate` in Prometheus 3
 * with its default UTF-8 name validation. Prometheus stops at the first failed check; we report every
 * problem, each on the field to change, keeping Prometheus's wording and adding the fix in parentheses.
 * Where two upstream checks would flag the same field for one cause (keepequal with a replacement fails
 * both "'replacement' can not be set" and "requires only 'source_labels' and `target_label`"), only the
 * first is reported.
 */
import { DEFAULTS, type Action, type DecodedRule, type Field } from './config.js';
import { isValidLabelName } from './label-set.js';

const WRITES_TARGET: ReadonlySet<Action> = new Set([
  'replace',
  'hashmod',
  'lowercase',
  'uppercase',
  'keepequal',
  'dropequal',
]);
const LITERAL_TARGET: ReadonlySet<Action> = new Set(['lowercase', 'uppercase', 'keepequal', 'dropequal', 'hashmod']);
const NO_REPLACEMENT: ReadonlySet<Action> = new Set(['lowercase', 'uppercase', 'keepequal', 'dropequal']);

const TARGET_FIX: Record<string, string> = {
  replace: 'set target_label to the label to write',
  hashmod: 'set target_label to the label that receives the shard number',
  lowercase: 'set target_label to the label that receives the lowercased value',
  uppercase: 'set target_label to the label that receives the uppercased value',
  keepequal: 'set target_label to the label whose value must equal the source value',
  dropequal: 'set target_label to the label whose value must differ from the source value',
};

export function validateRule(rule: DecodedRule, problems: string[]): void {
  const { path, action, broken } = rule;
  const ok = (...fields: Field[]): boolean => fields.every((f) => !broken.has(f));
  const report = (field: Field, problem: string): void => {
    problems.push(`${path}.${field}: ${problem}`);
  };
  if (!ok('action')) return; // an unknown action has no rules to check against
  if (action === '') {
    report('action', 'relabel action cannot be empty (omit action for the default replace, or name an action)');
    return;
  }
  if (action === 'hashmod' && ok('modulus') && rule.modulus === 0n) {
    report(
      'modulus',
      'relabel configuration for hashmod requires non-zero modulus (set modulus to the number of shards, e.g. modulus: 8)',
    );
  }
  const target = rule.targetLabel;
  if (WRITES_TARGET.has(action) && ok('target_label')) {
    if (target === '') {
      report(
        'target_label',
        `relabel configuration for ${action} action requires 'target_label' value (${TARGET_FIX[action]})`,
      );
    } else if ((action === 'replace' || LITERAL_TARGET.has(action)) && !isValidLabelName(target)) {
      // Under UTF-8 validation a `$` template and a literal name are checked alike.
      report(
        'target_label',
        `${JSON.stringify(target)} is invalid 'target_label' for ${action} action (use a label name that is valid UTF-8)`,
      );
    }
  }
  const replacementChanged = ok('replacement') && rule.replacement !== DEFAULTS.replacement;
  if (NO_REPLACEMENT.has(action) && replacementChanged) {
    report('replacement', `'replacement' can not be set for ${action} action (remove replacement)`);
  }
  if (action === 'labelmap' && ok('replacement') && !isValidLabelName(rule.replacement)) {
    report(
      'replacement',
      `${JSON.stringify(rule.replacement)} is invalid 'replacement' for labelmap action (set replacement to a label name template such as $1)`,
    );
  }
  if (action === 'keepequal' || action === 'dropequal') {
    const only = `${action} action requires only 'source_labels' and \`target_label\`, and no other fields`;
    if (rule.regexSet) report('regex', `${only} (remove regex)`);
    if (ok('modulus') && rule.modulus !== 0n) report('modulus', `${only} (remove modulus)`);
    if (ok('separator') && rule.separator !== DEFAULTS.separator) report('separator', `${only} (remove separator)`);
  }
  if (action === 'labeldrop' || action === 'labelkeep') {
    const only = `${action} action requires only 'regex', and no other fields`;
    const fix = `it matches regex against label names`;
    if (rule.sourceLabelsSet) report('source_labels', `${only} (remove source_labels: ${fix})`);
    if (ok('target_label') && target !== '') report('target_label', `${only} (remove target_label: ${fix})`);
    if (ok('modulus') && rule.modulus !== 0n) report('modulus', `${only} (remove modulus: ${fix})`);
    if (ok('separator') && rule.separator !== DEFAULTS.separator)
      report('separator', `${only} (remove separator: ${fix})`);
    if (replacementChanged) report('replacement', `${only} (remove replacement: ${fix})`);
  }
}
