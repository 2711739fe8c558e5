/**
 * Decodes the parsed YAML of `metric_relabel_configs` into rules with every field resolved, the way
 * Prometheus's `Config.UnmarshalYAML` does (model/relabel/relabel.go): start from `DefaultRelabelConfig`,
 * overlay the keys present, reject unknown keys (Prometheus loads configs with `UnmarshalStrict`).
 * A key written with no value (`separator:`) is YAML null, which yaml.v2 decodes to the Go zero value, not
 * to the default: `separator:` is "", `replacement:` is "", `regex:` is the empty regex, `action:` is empty.
 * Values must already have the right YAML type: unlike yaml.v2 we do not turn `replacement: 1.10` into a
 * string, because the parsed number no longer says how it was written.
 */
import { Decoder, typeName } from '../decode/index.js';
import { ACTION_NAMES, parseAction, type Action } from './actions.js';
import { DEFAULTS, FIELDS, type Field, type RuleValues } from './config.js';
import { isValidLabelName } from './label-set.js';

const MAX_UINT64 = 2n ** 64n - 1n;
const ACTION_LIST = ACTION_NAMES.join(', ');

/**
 * A decoded rule: every field resolved to its effective value, plus what Prometheus's validation needs to
 * know about how the rule was written (it compares the regex by identity with the default, and
 * `source_labels` against nil).
 */
export interface DecodedRule extends RuleValues {
  readonly path: string;
  /** The key was present with a non-null value (even `[]`), which labeldrop/labelkeep reject. */
  readonly sourceLabelsSet: boolean;
  /** The key was present at all (even `regex: (.*)` or `regex:`), which keepequal/dropequal reject. */
  readonly regexSet: boolean;
  /** `''` when the YAML said `action:` with no value (Prometheus: "relabel action cannot be empty"). */
  readonly action: Action | '';
  /** Fields whose value could not be decoded; validation skips checks that read them. */
  readonly broken: ReadonlySet<Field>;
}

/** Reads one rule's fields; a field whose value could not be read is `broken` (validation skips it). */
class RuleReader {
  readonly broken = new Set<Field>();

  constructor(private readonly rule: Decoder) {}

  /** Present at all, null included (`key:` with no value is Go's zero value, not the default). */
  has(field: Field): boolean {
    return this.rule.at(field).value !== undefined;
  }

  private fail(field: Field, problem: string): void {
    this.rule.at(field).problem(problem);
    this.broken.add(field);
  }

  /** A string field: absent → the default, null → "" (Go's zero value). */
  string(field: Field, fallback: string): string {
    const value = this.rule.at(field).value;
    if (value === undefined) return fallback;
    if (value === null) return '';
    if (typeof value === 'string') return value;
    const fix = typeof value === 'object' ? 'write one quoted string' : `quote the value: ${field}: "${String(value)}"`;
    this.fail(field, `must be a string, got ${typeName(value)} (${fix})`);
    return fallback;
  }

  sourceLabels(): readonly string[] {
    const d = this.rule.at('source_labels');
    if (!d.isSet) return [];
    if (!Array.isArray(d.value)) {
      this.fail(
        'source_labels',
        `must be a list of label names, got ${typeName(d.value)} (write source_labels: [name, ...])`,
      );
      return [];
    }
    const names: string[] = [];
    for (const item of d.items()) {
      if (typeof item.value !== 'string') item.problem(`must be a label name, got ${typeName(item.value)} (quote it)`);
      else if (!isValidLabelName(item.value))
        item.problem(`${JSON.stringify(item.value)} is not a valid label name (use a non-empty UTF-8 label name)`);
      else names.push(item.value);
    }
    if (names.length < d.items().length) this.broken.add('source_labels');
    return names;
  }

  modulus(): bigint {
    const value = this.rule.at('modulus').value;
    if (value === undefined || value === null) return 0n;
    if (typeof value === 'bigint' && value >= 0n && value <= MAX_UINT64) return value;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
    const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
    this.fail(
      'modulus',
      `must be an unsigned integer, got ${typeName(value)} ${shown} (write a whole number of shards, e.g. modulus: 8)`,
    );
    return 0n;
  }

  action(): Action | '' {
    const value = this.rule.at('action').value;
    if (value === undefined) return DEFAULTS.action;
    if (value === null) return '';
    if (typeof value !== 'string') {
      this.fail('action', `must be a string, got ${typeName(value)} (use one of: ${ACTION_LIST})`);
      return DEFAULTS.action;
    }
    const action = parseAction(value);
    if (action === undefined)
      this.fail('action', `unknown relabel action ${JSON.stringify(value)} (use one of: ${ACTION_LIST})`);
    return action ?? DEFAULTS.action;
  }
}

/** Decodes one list item over DEFAULTS; returns null (after recording why) when it is not a mapping at all. */
export function decodeRule(d: Decoder): DecodedRule | null {
  if (!d.isSet) {
    d.problem('empty or null relabeling rule (remove the empty list item or give it fields)');
    return null;
  }
  if (!d.isMapping()) {
    d.problem(
      `must be a mapping of relabel fields, got ${typeName(d.value)} (write fields such as "source_labels: [...]")`,
    );
    return null;
  }
  d.mapping(FIELDS, 'a mapping');
  const read = new RuleReader(d);
  return {
    path: d.path,
    sourceLabelsSet: d.at('source_labels').isSet,
    sourceLabels: read.sourceLabels(),
    separator: read.string('separator', DEFAULTS.separator),
    regexSet: read.has('regex'),
    regex: read.string('regex', DEFAULTS.regex),
    modulus: read.modulus(),
    targetLabel: read.string('target_label', ''),
    replacement: read.string('replacement', DEFAULTS.replacement),
    action: read.action(),
    broken: read.broken,
  };
}
