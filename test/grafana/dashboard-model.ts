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
  query?: string | { query?: string };
  datasource?: { type?: string; uid?: string };
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string;
  definition?: string;
}

export interface JsonDashboard {
  uid: string;
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

/** Metric names a query reads (`baseten_…`), without the histogram suffixes. */
export function familiesOf(expr: string): string[] {
  const names = expr.match(/\bbaseten_[a-z_]+/g) ?? [];
  return [...new Set(names.map((n) => n.replace(/_(bucket|sum|count)$/, '')))];
}

export function variableQuery(v: JsonVariable): string {
  return typeof v.query === 'string' ? v.query : (v.query?.query ?? '');
}
