/** Reads the checked-in dashboards as plain JSON (what Grafana imports), and walks their panels and queries. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DASHBOARDS } from '../../grafana/generator/index.js';

export const DASHBOARD_DIR = resolve(__dirname, '../../grafana/dashboards');

export interface JsonTarget {
  refId?: string;
  expr?: string;
  legendFormat?: string;
  datasource?: { type?: string; uid?: string };
}

export interface JsonPanel {
  id?: number;
  type: string;
  title?: string;
  description?: string;
  datasource?: { type?: string; uid?: string };
  gridPos?: { x: number; y: number; w: number; h: number };
  targets?: JsonTarget[];
  fieldConfig?: { defaults?: { unit?: string; noValue?: string; min?: number; max?: number } };
  options?: { legend?: { showLegend?: boolean } };
  panels?: JsonPanel[];
}

export interface JsonVariable {
  type: string;
  name: string;
  current?: { text?: string | string[]; value?: string | string[] };
  query?: string | { query?: string };
  datasource?: { type?: string; uid?: string };
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string;
  definition?: string;
}

export interface JsonInput {
  name: string;
  label: string;
  type: string;
  pluginId?: string;
  pluginName?: string;
}

export interface JsonLink {
  title: string;
  type: string;
  url?: string;
  includeVars?: boolean;
  keepTime?: boolean;
  placement?: string;
}

export interface JsonDashboard {
  __inputs?: JsonInput[];
  uid: string;
  links?: JsonLink[];
  title: string;
  schemaVersion: number;
  panels: JsonPanel[];
  templating: { list: JsonVariable[] };
}

export function loadDashboards(): Array<{ file: string; text: string; dashboard: JsonDashboard }> {
  return DASHBOARDS.map(({ file }) => {
    const text = readFileSync(resolve(DASHBOARD_DIR, file), 'utf8');
    return { file, text, dashboard: JSON.parse(text) as JsonDashboard };
  });
}

/** Every non-row panel, with the dashboard it is on. */
export function panelsOf(dashboard: JsonDashboard): JsonPanel[] {
  return dashboard.panels.flatMap((p) => (p.type === 'row' ? (p.panels ?? []) : [p]));
}

export interface DashboardQuery {
  dashboard: string;
  panel: string;
  refId: string;
  expr: string;
  noValue?: string;
}

export function queriesOf(dashboard: JsonDashboard): DashboardQuery[] {
  return panelsOf(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((t) => ({
      dashboard: dashboard.title,
      panel: panel.title ?? '',
      refId: t.refId ?? '',
      expr: t.expr ?? '',
      noValue: panel.fieldConfig?.defaults?.noValue,
    })),
  );
}

/**
 * Metric names a query reads (`baseten_…`, the engines' `vllm:…` and `sglang:…`), without the histogram
 * suffixes.
 */
export function familiesOf(expr: string): string[] {
  const names = expr.match(/\b(?:baseten_|vllm:|sglang:)[a-z_]+/g) ?? [];
  return [...new Set(names.map((n) => n.replace(/_(bucket|sum|count)$/, '')))];
}

export function variableQuery(v: JsonVariable): string {
  return typeof v.query === 'string' ? v.query : (v.query?.query ?? '');
}

/**
 * What Grafana's import makes of a dashboard file, as pkg/services/dashboardimport/utils/dash_template_evaluator.go
 * does it: every input must be given a value (else the import fails), every `${NAME}` of a declared input in
 * any string becomes its value (other `${…}` stay), and `__inputs` is dropped.
 */
export function importAs(text: string, values: Record<string, string>): JsonDashboard {
  const raw = JSON.parse(text) as { __inputs?: JsonInput[] };
  const variables = new Map<string, string>();
  for (const input of raw.__inputs ?? []) {
    const value = values[input.name];
    if (value === undefined) throw new Error(`Dashboard input variable: ${input.name} missing from import command`);
    variables.set(`\${${input.name}}`, value);
  }
  const evaluate = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replace(/\$\{.+?\}/g, (match) => variables.get(match) ?? match);
    if (Array.isArray(value)) return value.map(evaluate);
    if (value && typeof value === 'object')
      return Object.fromEntries(
        Object.entries(value)
          .filter(([key]) => key !== '__inputs')
          .map(([key, v]) => [key, evaluate(v)]),
      );
    return value;
  };
  return evaluate(raw) as JsonDashboard;
}

/** Every `datasource` a panel, a query or a query variable names. */
export function datasourceRefs(dashboard: JsonDashboard): Array<{ where: string; datasource: unknown }> {
  return [
    ...panelsOf(dashboard).flatMap((panel) => [
      { where: `${panel.title}`, datasource: panel.datasource },
      ...(panel.targets ?? []).map((t) => ({ where: `${panel.title} ${t.refId}`, datasource: t.datasource })),
    ]),
    ...dashboard.templating.list
      .filter((v) => v.type === 'query')
      .map((v) => ({ where: `$${v.name}`, datasource: v.datasource })),
  ];
}
