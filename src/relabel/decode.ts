/**
 * Decodes the parsed YAML of `metric_relabel_configs` into rules with every field resolved, the way
 * Prometheus's `Config.UnmarshalYAML` does (model/relabel/relabel.go): start from `DefaultRelabelConfig`,
 * overlay the keys present, reject unknown keys (Prometheus loads configs with `UnmarshalStrict`).
 * A key written with no value (`separator:`) is YAML null, which yaml.v2 decodes to the Go zero value, not
 * to the default: `separator:` is "", `replacement:` is "", `regex:` is the empty regex, `action:` is empty.
 * Values must already have the right YAML type: unlike yaml.v2 we do not turn `replacement: 1.10` into a
 * string, because the parsed number no longer says how it was written.
 */
import { DEFAULTS, FIELDS, parseAction, type Action, type DecodedRule, type Field } from './config.js';
import { isValidLabelName } from './label-set.js';

const FIELD_SET: ReadonlySet<string> = new Set(FIELDS);
const MAX_UINT64 = 2n ** 64n - 1n;

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'mapping';
  return typeof value;
}

function squash(name: string): string {
  return name.toLowerCase().replace(/[^a-z]/g, '');
}

function unknownField(path: string, key: string): string {
  const near = FIELDS.find((f) => squash(f) === squash(key));
  const fix = near ? `did you mean ${near}?` : `known fields: ${FIELDS.join(', ')}`;
  return `${path}.${key}: unknown field (${fix})`;
}

/** Collects problems for one rule while reading its fields. */
class FieldReader {
  readonly broken = new Set<Field>();

  constructor(
    private readonly path: string,
    private readonly rule: Record<string, unknown>,
    private readonly problems: string[],
  ) {}

  has(field: Field): boolean {
    return Object.prototype.hasOwnProperty.call(this.rule, field) && this.rule[field] !== undefined;
  }

  fail(field: Field, problem: string): void {
    this.problems.push(`${this.path}.${field}: ${problem}`);
    this.broken.add(field);
  }

  /** A string field: absent → the default, null → "" (Go's zero value). */
  string(field: Field, fallback: string): string {
    if (!this.has(field)) return fallback;
    const value = this.rule[field];
    if (value === null) return '';
    if (typeof value === 'string') return value;
    const fix = typeof value === 'object' ? 'write one quoted string' : `quote the value: ${field}: "${String(value)}"`;
    this.fail(field, `must be a string, got ${typeName(value)} (${fix})`);
    return fallback;
  }

  sourceLabels(): readonly string[] {
    const value = this.rule.source_labels;
    if (!this.has('source_labels') || value === null) return [];
    if (!Array.isArray(value)) {
      this.fail('source_labels', `must be a list of label names, got ${typeName(value)} (write source_labels: [name, ...])`);
      return [];
    }
    const names: string[] = [];
    value.forEach((item: unknown, i) => {
      const at = `${this.path}.source_labels[${i}]`;
      if (typeof item !== 'string') {
        this.problems.push(`${at}: must be a label name, got ${typeName(item)} (quote it)`);
        this.broken.add('source_labels');
      } else if (!isValidLabelName(item)) {
        this.problems.push(`${at}: ${JSON.stringify(item)} is not a valid label name (use a non-empty UTF-8 label name)`);
        this.broken.add('source_labels');
      } else {
        names.push(item);
      }
    });
    return names;
  }

  modulus(): bigint {
    if (!this.has('modulus')) return 0n;
    const value = this.rule.modulus;
    if (value === null) return 0n;
    if (typeof value === 'bigint' && value >= 0n && value <= MAX_UINT64) return value;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
    const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
    this.fail('modulus', `must be an unsigned integer, got ${typeName(value)} ${shown} (write a whole number of shards, e.g. modulus: 8)`);
    return 0n;
  }

  action(): Action | '' {
    if (!this.has('action')) return DEFAULTS.action;
    const value = this.rule.action;
    if (value === null) return '';
    if (typeof value !== 'string') {
      this.fail('action', `must be a string, got ${typeName(value)} (use one of: ${ACTION_LIST})`);
      return DEFAULTS.action;
    }
    const action = parseAction(value);
    if (action === undefined) this.fail('action', `unknown relabel action ${JSON.stringify(value)} (use one of: ${ACTION_LIST})`);
    return action ?? DEFAULTS.action;
  }
}

const ACTION_LIST = 'replace, keep, drop, keepequal, dropequal, hashmod, labelmap, labeldrop, labelkeep, lowercase, uppercase';

/** Decodes one list item; returns null (after recording why) when it is not a mapping at all. */
export function decodeRule(raw: unknown, path: string, problems: string[]): DecodedRule | null {
  if (raw === null || raw === undefined) {
    problems.push(`${path}: empty or null relabeling rule (remove the empty list item or give it fields)`);
    return null;
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`${path}: must be a mapping of relabel fields, got ${typeName(raw)} (write fields such as "source_labels: [...]")`);
    return null;
  }
  const rule = raw as Record<string, unknown>;
  for (const key of Object.keys(rule)) if (!FIELD_SET.has(key)) problems.push(unknownField(path, key));
  const read = new FieldReader(path, rule, problems);
  const sourceLabelsSet = read.has('source_labels') && rule.source_labels !== null;
  const sourceLabels = read.sourceLabels();
  const separator = read.string('separator', DEFAULTS.separator);
  const regexSet = read.has('regex');
  const regex = read.string('regex', DEFAULTS.regex);
  const modulus = read.modulus();
  const targetLabel = read.string('target_label', '');
  const replacement = read.string('replacement', DEFAULTS.replacement);
  const action = read.action();
  return {
    path,
    sourceLabels,
    sourceLabelsSet,
    separator,
    regex,
    regexSet,
    modulus,
    targetLabel,
    replacement,
    action,
    broken: read.broken,
  };
}

export function describeType(value: unknown): string {
  return typeName(value);
}
