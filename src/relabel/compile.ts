/**
 * Turns the parsed YAML of `metric_relabel_configs` into rules ready to run: decoded, validated (every
 * problem of every rule, or a RelabelConfigError), regexes compiled and `$` templates parsed once, so that
 * applying a rule to a series does no parsing at all.
 */
import { RelabelConfigError, type Action, type DecodedRule, type RelabelConfig } from './config.js';
import { Decoder, typeName } from '../decode/index.js';
import { decodeRule } from './decode.js';
import { compileTemplate, replaceAll, type Template } from './expand.js';
import { prepareModulus, type Modulus } from './hashmod.js';
import { isValidLabelName } from './label-set.js';
import { BoundedMemo } from './memo.js';
import { compileAnchored, type AnchoredRegex } from './regex.js';
import { validateRule } from './validate.js';

interface RuleBase {
  /** Position in the configured list (the N of `metric_relabel_configs[N]`). */
  readonly index: number;
  readonly sourceLabels: readonly string[];
  readonly separator: string;
}

export type CompiledRule = RuleBase &
  (
    | {
        readonly action: 'replace';
        readonly regex: AnchoredRegex;
        readonly target: Template;
        readonly replacement: Template;
      }
    | { readonly action: 'keep' | 'drop'; readonly regex: AnchoredRegex }
    | { readonly action: 'keepequal' | 'dropequal' | 'lowercase' | 'uppercase'; readonly target: string }
    | { readonly action: 'hashmod'; readonly target: string; readonly modulus: Modulus }
    | {
        readonly action: 'labelmap';
        readonly regex: AnchoredRegex;
        readonly replacement: Template;
        /** Label name → the name it maps to, or null when the regex does not match it. */
        readonly mapName: BoundedMemo<string | null>;
      }
    | { readonly action: 'labeldrop' | 'labelkeep'; readonly regex: AnchoredRegex }
  );

export interface CompiledRules {
  readonly rules: readonly CompiledRule[];
  /** Each rule as it takes effect: every field present, defaults filled in, action lowercased. */
  readonly source: readonly RelabelConfig[];
}

function build(rule: DecodedRule, index: number, regex: AnchoredRegex, action: Action): CompiledRule {
  const base: RuleBase = { index, sourceLabels: rule.sourceLabels, separator: rule.separator };
  switch (action) {
    case 'replace':
      return {
        ...base,
        action,
        regex,
        target: compileTemplate(rule.targetLabel, regex),
        replacement: compileTemplate(rule.replacement, regex),
      };
    case 'labelmap': {
      const replacement = compileTemplate(rule.replacement, regex);
      return {
        ...base,
        action,
        regex,
        replacement,
        mapName: new BoundedMemo((name) => mapLabelName(regex, replacement, name)),
      };
    }
    case 'keep':
    case 'drop':
    case 'labeldrop':
    case 'labelkeep':
      return { ...base, action, regex };
    case 'keepequal':
    case 'dropequal':
    case 'lowercase':
    case 'uppercase':
      return { ...base, action, target: rule.targetLabel };
    case 'hashmod':
      return { ...base, action, target: rule.targetLabel, modulus: prepareModulus(rule.modulus) };
    default: {
      const unreachable: never = action;
      throw new Error(`relabel: unknown action ${String(unreachable)}`);
    }
  }
}

/** labelmap for one name, as model/relabel/relabel.go: `ReplaceAllString` of each name the regex matches. */
function mapLabelName(regex: AnchoredRegex, replacement: Template, name: string): string | null {
  if (!regex.test(name)) return null;
  const mapped = replaceAll(regex, name, replacement);
  // Prometheus would set even an empty name and then reject the whole scrape; we skip the label instead.
  return isValidLabelName(mapped) ? mapped : null;
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
      `${path}: must be a list of relabel rules, got ${typeName(raw)} (write each rule as a "- source_labels: [...]" list item)`,
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
          `${rule.path}.regex: ${reason} (write an RE2 regex: no backreferences or lookaround; it is anchored as ^(?s:REGEX)$)`,
        );
      }
    }
    validateRule(rule, problems);
    if (problems.length > before || regex === undefined || rule.action === '') return;
    rules.push(build(rule, index, regex, rule.action));
    source.push(effective(rule, rule.action));
  });
  if (problems.length > 0) throw new RelabelConfigError(problems);
  return { rules, source };
}
