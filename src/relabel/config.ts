/**
 * The shape of one `metric_relabel_configs` rule, its defaults and the error raised when rules are invalid.
 * Field names and defaults are Prometheus's (model/relabel/relabel.go, `DefaultRelabelConfig`),
 * so users can paste the rules they already run.
 */
import { ProblemsError } from '../problems-error.js';

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

/** A rule's fields resolved to their effective values: what an action compiles from (actions.ts). */
export interface RuleValues {
  readonly sourceLabels: readonly string[];
  readonly separator: string;
  readonly regex: string;
  readonly modulus: bigint;
  readonly targetLabel: string;
  readonly replacement: string;
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
