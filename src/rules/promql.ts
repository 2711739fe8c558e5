/** PromQL text helpers for generated rules: label matchers with escaped values, fixed label order. */

/** Labels every per-model SLI is aggregated by: a rollout changes deployment_id, not the objective. */
export const SLO_AGGREGATION = ['model_id', 'model_name', 'environment'] as const;

/** The labels of one deployment of a model, for alerts on what a deployment runs (replicas, its engine). */
export const DEPLOYMENT_LABELS = 'model_id, model_name, deployment_id, environment';

/** A PromQL double-quoted string (model names carry quotes, backslashes and non-ASCII: BASETEN.md). */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

export interface Matcher {
  name: string;
  op: '=' | '=~' | '!=' | '!~';
  /** Already in PromQL string form for `=~` (see latency-bucket.ts); quoted here otherwise. */
  value: string;
  raw?: boolean;
}

/** `{a="x", b=~"y"}`, or empty when there are no matchers. Selector labels come in name order. */
export function matchers(selector: Record<string, string>, extra: Matcher[] = []): string {
  const parts = Object.keys(selector)
    .sort()
    .map((name) => `${name}=${quote(selector[name] as string)}`);
  for (const m of extra) parts.push(`${m.name}${m.op}${m.raw ? `"${m.value}"` : quote(m.value)}`);
  return parts.length === 0 ? '' : `{${parts.join(', ')}}`;
}

export function by(labels: readonly string[]): string {
  return `by (${labels.join(', ')})`;
}

/** A number as PromQL and YAML both print it plainly: 0.0010000000000000009 → 0.001. */
export function num(value: number): string {
  return String(Number(value.toPrecision(10)));
}
