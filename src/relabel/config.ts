/**
 * The shape of one `metric_relabel_configs` rule, its defaults and the error raised when rules are invalid.
 * Field names, defaults and action names are Prometheus's (model/relabel/relabel.go, `DefaultRelabelConfig`),
 * so users can paste the rules they already run.
 */
import { ProblemsError } from '../problems-error.js';
import { goToLower } from './case-map.js';

/** A rule as written in YAML (Prometheus field names). After decoding every field holds its effective value. */
export interface RelabelConfig {
  source_labels?: string[];
  separator?: string;
  regex?: string;
  modulus?: number;
  target_label?: string;
  replacement?: string;
  action?: string;
}

export const ACTIONS = [
  'replace',
  'keep',
  'drop',
  'keepequal',
  'dropequal',
  'hashmod',
  'labelmap',
  'labeldrop',
  'labelkeep',
  'lowercase',
  'uppercase',
] as const;

export type Action = (typeof ACTIONS)[number];

const ACTION_SET: ReadonlySet<string> = new Set(ACTIONS);

/** As model/relabel/relabel.go `Action.UnmarshalYAML`: names are matched after Go's `strings.ToLower`. */
export function parseAction(raw: string): Action | undefined {
  const lowered = goToLower(raw);
  return ACTION_SET.has(lowered) ? (lowered as Action) : undefined;
}

export const FIELDS = [
  'source_labels',
  'separator',
  'regex',
  'modulus',
  'target_label',
  'replacement',
  'action',
] as const;

export type Field = (typeof FIELDS)[number];

/** Prometheus's `DefaultRelabelConfig`: what a rule means when a key is absent. */
export const DEFAULTS = {
  separator: ';',
  regex: '(.*)',
  replacement: '$1',
  action: 'replace',
} as const;

/**
 * A decoded rule: every field resolved to its effective value, plus what Prometheus's validation needs to
 * know about how the rule was written (it compares the regex by identity with the default, and
 * `source_labels` against nil).
 */
export interface DecodedRule {
  readonly path: string;
  readonly sourceLabels: readonly string[];
  /** The key was present with a non-null value (even `[]`), which labeldrop/labelkeep reject. */
  readonly sourceLabelsSet: boolean;
  readonly separator: string;
  readonly regex: string;
  /** The key was present at all (even `regex: (.*)` or `regex:`), which keepequal/dropequal reject. */
  readonly regexSet: boolean;
  readonly modulus: bigint;
  readonly targetLabel: string;
  readonly replacement: string;
  /** `''` when the YAML said `action:` with no value (Prometheus: "relabel action cannot be empty"). */
  readonly action: Action | '';
  /** Fields whose value could not be decoded; validation skips checks that read them. */
  readonly broken: ReadonlySet<Field>;
}

/** Wiring-time error: every problem of every rule, each prefixed with its YAML path. */
export class RelabelConfigError extends ProblemsError {
  override name = 'RelabelConfigError';

  constructor(problems: readonly string[], options?: { cause?: unknown }) {
    super('', problems, options);
    const head = problems.length === 1 ? 'relabel: invalid rule' : `relabel: ${problems.length} problems in rules`;
    this.message = `${head}\n  ${problems.join('\n  ')}`;
  }
}
