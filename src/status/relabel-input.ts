/**
 * What POST /api/v1/relabel receives, read into what the relabel engine takes: series lines in text format
 * (a value is optional, since people paste series as they see them in Prometheus's UI) and rules, either a
 * JSON list, a YAML string (a list, or a mapping with `metric_relabel_configs:` as in a scrape config), or
 * nothing for the running config's. Every problem is collected and reported at once, as the config loader does.
 */
import { Document, visit } from 'yaml';
import { isMapping, readYaml, typeName } from '../decode/index.js';
import { readPastedSeries, type LabelPairs } from '../exposition/index.js';
import {
  compileRelabelConfigs,
  DEFAULTS,
  RelabelConfigError,
  type CompiledRules,
  type RelabelConfig,
} from '../relabel/index.js';

/** A request-time problem with what the caller sent; answered as a 400 listing every problem. */
export class RelabelInputError extends Error {
  readonly problems: string[];

  constructor(problems: string[], options?: { cause?: unknown }) {
    super(problems.join('\n'), options);
    this.name = 'RelabelInputError';
    this.problems = problems;
  }
}

export interface InputSeries {
  /** 1-based line in the `series` text. */
  line: number;
  name: string;
  labels: LabelPairs;
}

/** Reads each non-blank, non-comment line on its own, so HELP/TYPE lines and line order do not matter. */
export function parseSeriesLines(text: unknown, maxSeries: number): InputSeries[] {
  if (typeof text !== 'string') {
    throw new RelabelInputError([
      `series: must be a string of lines in text format, got ${typeName(text)} (send "series": "up{job=\\"x\\"}")`,
    ]);
  }
  const read = readPastedSeries(text, 'series line');
  const series: InputSeries[] = read.series.map(({ line, name, labels }) => ({ line, name, labels }));
  const problems = read.problems;
  if (problems.length > 0) throw new RelabelInputError(problems);
  if (series.length === 0) {
    throw new RelabelInputError([
      'series: no series given (paste one or more lines such as ' +
        'baseten_replicas_active{model_name="x"}, with or without a value)',
    ]);
  }
  if (series.length > maxSeries) {
    throw new RelabelInputError([
      `series: ${series.length} series given, at most ${maxSeries} per request (trace fewer at once)`,
    ]);
  }
  return series;
}

/**
 * Aliases a rules text may use: a list of rules has no need for many, and each alias of a nested anchor
 * multiplies what toJS() builds (the "billion laughs").
 */
export const MAX_YAML_ALIASES = 20;

/** A YAML string of rules → the parsed value and the path its problems are reported under. */
function readYamlRules(text: string): { value: unknown; path: string } {
  const read = readYaml(text, MAX_YAML_ALIASES);
  if (read.problems) throw new RelabelInputError(read.problems.map((p) => `rules: ${p}`));
  const value = read.value;
  if (isMapping(value) && 'metric_relabel_configs' in value)
    return { value: value.metric_relabel_configs, path: 'metric_relabel_configs' };
  return { value, path: 'rules' };
}

/**
 * A rule with the fields that hold their default left out: what a person writes, and what compiles again
 * (keepequal rejects any `regex:` key and labeldrop any `source_labels:` key, even at their defaults).
 */
export function writtenRule(rule: RelabelConfig): RelabelConfig {
  const out: RelabelConfig = {};
  if (rule.source_labels !== undefined && rule.source_labels.length > 0) out.source_labels = [...rule.source_labels];
  if (rule.separator !== undefined && rule.separator !== DEFAULTS.separator) out.separator = rule.separator;
  if (rule.regex !== undefined && rule.regex !== DEFAULTS.regex) out.regex = rule.regex;
  if (rule.modulus !== undefined && rule.modulus !== 0) out.modulus = rule.modulus;
  if (rule.target_label !== undefined && rule.target_label !== '') out.target_label = rule.target_label;
  if (rule.replacement !== undefined && rule.replacement !== DEFAULTS.replacement) out.replacement = rule.replacement;
  if (rule.action !== undefined && rule.action !== DEFAULTS.action) out.action = rule.action;
  return out;
}

/** Rules as YAML for people to edit: one block item per rule, `source_labels: [a, b]` on one line. */
export function rulesToYaml(rules: readonly RelabelConfig[]): string {
  if (rules.length === 0) return '';
  const doc = new Document(rules.map(writtenRule));
  visit(doc, {
    Seq(_key, node, path) {
      if (path.length > 1) node.flow = true;
    },
  });
  return doc.toString();
}

/**
 * `rules` of a request: absent or null → the running config's; a list or a YAML string → compiled here, at
 * most `maxRules` of them (counted before compiling: compiling is the expensive part).
 */
export function readRules(raw: unknown, running: readonly RelabelConfig[], maxRules = Infinity): CompiledRules {
  if (raw === undefined || raw === null)
    return compileRelabelConfigs(running.map(writtenRule), 'running metric_relabel_configs');
  const { value, path } = typeof raw === 'string' ? readYamlRules(raw) : { value: raw, path: 'rules' };
  if (Array.isArray(value) && value.length > maxRules) {
    throw new RelabelInputError([
      `${path}: ${value.length} rules given, at most ${maxRules} per request (trace fewer at once)`,
    ]);
  }
  try {
    return compileRelabelConfigs(value, path);
  } catch (err) {
    if (err instanceof RelabelConfigError) throw new RelabelInputError(err.problems, { cause: err });
    throw err;
  }
}
