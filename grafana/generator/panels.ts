/**
 * Panel and query helpers shared by the dashboards: every panel and query reads the `datasource` variable,
 * units follow BASETEN.md (GPU memory in MiB, GPU utilization already 0–100), and panels on families that
 * exist only for some deployments say so instead of showing a bare "No data".
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import { RowBuilder, type Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import {
  VizLegendOptionsBuilder,
  VizTooltipOptionsBuilder,
  LegendDisplayMode,
  LegendPlacement,
  TooltipDisplayMode,
  SortOrder,
} from '@grafana/grafana-foundation-sdk/common';

/** Every query and panel uses the dashboard's `datasource` variable, so imports need no datasource mapping. */
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

/** Grafana units used here (Grafana's unit ids: `decmbytes` is MiB, `percent` expects 0–100). */
export const UNITS = {
  seconds: 's',
  bytes: 'bytes',
  mebibytes: 'decmbytes',
  percent: 'percent',
  ratio: 'percentunit',
  requestsPerSecond: 'reqps',
  perSecond: 'short',
  count: 'short',
} as const;

export interface Query {
  expr: string;
  legend: string;
}

export function q(expr: string, legend: string): Query {
  return { expr, legend };
}

function targets(queries: readonly Query[]): DataqueryBuilder[] {
  return queries.map((query, i) =>
    new DataqueryBuilder()
      .datasource(DATASOURCE)
      .refId(String.fromCharCode(65 + i))
      .expr(query.expr)
      .legendFormat(query.legend)
      .range(),
  );
}

export interface PanelSpec {
  title: string;
  description: string;
  unit: string;
  queries: readonly Query[];
  /** Shown instead of "No data" when the family does not exist for the selected deployments. */
  noValue?: string;
  width?: number;
  height?: number;
  min?: number;
  max?: number;
}

/** Text for panels on families Baseten exports only for some deployments (BASETEN.md: any may be absent). */
export function onlyFor(what: string): string {
  return `No data: exported only for ${what}`;
}

export function timeseries(spec: PanelSpec): cog.Builder<Panel> {
  const panel = new TimeseriesPanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .targets(targets(spec.queries))
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.List)
        .placement(LegendPlacement.Bottom),
    )
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending))
    .fillOpacity(10)
    .gridPos({ x: 0, y: 0, w: spec.width ?? 12, h: spec.height ?? 8 });
  if (spec.noValue !== undefined) panel.noValue(spec.noValue);
  if (spec.min !== undefined) panel.min(spec.min);
  if (spec.max !== undefined) panel.max(spec.max);
  return panel;
}

export function stat(spec: PanelSpec): cog.Builder<Panel> {
  const panel = new StatPanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .targets(targets(spec.queries))
    .gridPos({ x: 0, y: 0, w: spec.width ?? 6, h: spec.height ?? 4 });
  if (spec.noValue !== undefined) panel.noValue(spec.noValue);
  if (spec.min !== undefined) panel.min(spec.min);
  if (spec.max !== undefined) panel.max(spec.max);
  return panel;
}

export function row(title: string): RowBuilder {
  return new RowBuilder(title).collapsed(false);
}
