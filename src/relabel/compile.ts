/**
 * Turns the parsed YAML of `metric_relabel_configs` into rules ready to run: decoded, validated (every
 * problem of every rule, or a RelabelConfigError), regexes compiled and each rule compiled by its action
 * (actions.ts: `$` templates parsed once), so that applying a rule to a series does no parsing at all.
 */
import { ACTIONS, type Action, type Apply } from './actions.js';
import { RelabelConfigError, type RelabelConfig } from './config.js';
import { Decoder, typeName } from '../decode/index.js';
import { decodeRule, type DecodedRule } from './decode.js';
import { compileAnchored, type AnchoredRegex } from './regex.js';
import { validateRule } from './validate.js';

export interface CompiledRule {
  /** Position in the configured list (the N of `metric_relabel_configs[N]`). */
  readonly index: number;
  readonly action: Action;
  /** Runs the rule on one series; returns false when the rule drops it. */
  readonly apply: Apply;
  /** Copied from the action, so that `relabel` need not look it up per series. */
  readonly observesOrder: boolean;
}

export interface CompiledRules {
  readonly rules: readonly CompiledRule[];
  /** Each rule as it takes effect: every field present, defaults filled in, action lowercased. */
  readonly source: readonly RelabelConfig[];
}

function effective(rule: DecodedRule, action: Action): RelabelConfig {
  const config: RelabelConfig = {
    source_labels: [...rule.sourceLabels],
    separator: rule.separator,
    regex: rule.regex,
    target_label: rule.targetLabel,
    replacement: rule.replacement,
    action,
  };
  if (rule.modulus !== 0n) config.modulus = Number(rule.modulus);
  return config;
}

/**
 * Compiles `metric_relabel_configs` (the parsed YAML value: a list, or undefined/null for no rules).
 * Throws RelabelConfigError listing every problem, each as `<path>[i].<field>: <what> (<fix>)`.
 */
export function compileRelabelConfigs(raw: unknown, path = 'metric_relabel_configs'): CompiledRules {
  if (raw === undefined || raw === null) return { rules: [], source: [] };
  if (!Array.isArray(raw)) {
    throw new RelabelConfigError([
      `${path}: must be a list of relabel rules, got ${typeName(raw)} ` +
        `(write each rule as a "- source_labels: [...]" list item)`,
    ]);
  }
  const list = new Decoder(raw, path);
  const problems = list.problems;
  const rules: CompiledRule[] = [];
  const source: RelabelConfig[] = [];
  list.items().forEach((item, index) => {
    const before = problems.length;
    const rule = decodeRule(item);
    if (rule === null) return;
    let regex: AnchoredRegex | undefined;
    if (!rule.broken.has('regex')) {
      try {
        regex = compileAnchored(rule.regex);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        problems.push(
          `${rule.path}.regex: ${reason} ` +
            `(write an RE2 regex: no backreferences or lookaround; it is anchored as ^(?s:REGEX)$)`,
        );
      }
    }
    validateRule(rule, problems);
    if (problems.length > before || regex === undefined || rule.action === '') return;
    const { compile, observesOrder } = ACTIONS[rule.action];
    rules.push({ index, action: rule.action, apply: compile(rule, regex), observesOrder });
    source.push(effective(rule, rule.action));
  });
  if (problems.length > 0) throw new RelabelConfigError(problems);
  return { rules, source };
}
