/**
 * Grafana's variable interpolation for Prometheus queries, as its datasource does it (public/app/plugins/
 * datasource/prometheus, `interpolateQueryExpr` and `prometheusSpecialRegexEscape`), so tests run the exact
 * text Grafana would send. Multi-value and "All" variables are regex-escaped, joined with `|` and grouped;
 * `$__rate_interval` and friends become durations.
 */

/**
 * Grafana's regex escape for a value inside a double-quoted PromQL matcher. `quotes`: also escape `"`, which
 * Grafana does only with the feature toggle `prometheusSpecialCharsInLabelValues` (classic escaping leaves
 * it, and a selected value with a double quote then breaks the query).
 */
export function grafanaRegexEscape(value: string, quotes: boolean): string {
  let out = value.replace(/\\/g, '\\\\\\\\');
  if (quotes) out = out.replace(/"/g, '\\\\\\"');
  return out.replace(quotes ? /[$^*{}[\]'+?.()|]/g : /[$^*{}[\]+?.()|]/g, '\\\\$&');
}

export type Selection = 'all' | string[];

export interface Interpolation {
  variables: Record<string, Selection>;
  /** Escape double quotes (Grafana's prometheusSpecialCharsInLabelValues toggle). */
  quotes?: boolean;
  rateInterval?: string;
  interval?: string;
  range?: string;
}

function valueOf(selection: Selection, quotes: boolean): string {
  if (selection === 'all') return '.*';
  const escaped = selection.map((v) => grafanaRegexEscape(v, quotes));
  return escaped.length === 1 ? (escaped[0] as string) : `(${escaped.join('|')})`;
}

export function interpolate(expr: string, how: Interpolation): string {
  let out = expr
    .replace(/\$__rate_interval/g, how.rateInterval ?? '1m')
    .replace(/\$__interval/g, how.interval ?? '15s')
    .replace(/\$__range/g, how.range ?? '1h');
  for (const [name, selection] of Object.entries(how.variables)) {
    const value = valueOf(selection, how.quotes ?? false);
    out = out.replace(new RegExp(`\\$\\{${name}\\}|\\$${name}\\b`, 'g'), () => value);
  }
  const left = /\$\{?[a-z_]+/i.exec(out);
  if (left) throw new Error(`variable ${left[0]} left in ${out}`);
  return out;
}
