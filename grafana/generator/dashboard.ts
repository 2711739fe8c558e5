/**
 * A dashboard from rows of panels: the SDK lays panels out left to right; this adds what it leaves to the
 * caller — unique panel ids, the schema version of Grafana 10.0 (so Grafana 10+ imports it without
 * migrations it does not know), tags, refresh and time range, and the `__inputs` Grafana's import asks for
 * (the SDK's model has no field for them).
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  DashboardBuilder,
  DashboardLinkBuilder,
  DashboardLinkType,
  type Dashboard,
  type DashboardLink,
  type Panel,
  type RowPanel,
  type VariableModel,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { row } from './panels.js';
import { DATASOURCE_INPUT } from './variables.js';

/** Grafana 10.0's dashboard schema version; later versions migrate it up on load. */
export const SCHEMA_VERSION = 38;

/**
 * The shortest step of panels on Baseten's data: every relayed sample carries the time of its fetch, so
 * Prometheus holds one sample per fetch (one a minute at the default interval) and a rate needs two of them
 * in its window. Twice the default `upstream.interval`: Grafana's `$__rate_interval` is then at least 2m plus
 * the data source's scrape interval.
 */
export const BASETEN_DATA_MIN_INTERVAL = '2m';

/** The uids of the dashboards that link to each other. */
export const DASHBOARD_UIDS = { modelOverview: 'baseten-model-overview', engines: 'baseten-llm-engines' } as const;

/**
 * A link at the top of the dashboard to another one, carrying the time range and every variable (`var-…`), so the
 * same models stay selected: the linked dashboard must have the same variables. `/d/<uid>` is relative to Grafana's
 * root (Grafana adds its sub-path, as it does for every link that starts with `/`).
 */
export function dashboardLink(title: string, uid: string, tooltip: string): cog.Builder<DashboardLink> {
  return new DashboardLinkBuilder(title)
    .type(DashboardLinkType.Link)
    .url(`/d/${uid}`)
    .tooltip(tooltip)
    .icon('dashboard')
    .includeVars(true)
    .keepTime(true);
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  /** Every panel's minimum interval (Grafana's "Min interval"): BASETEN_DATA_MIN_INTERVAL on Baseten's data. */
  minInterval?: string;
  links?: cog.Builder<DashboardLink>[];
  variables: cog.Builder<VariableModel>[];
  rows: Array<{ title: string; panels: cog.Builder<Panel>[] }>;
}

/** A dashboard as a file to import: the model, with the inputs the import dialog asks for first. */
export type DashboardFileModel = { __inputs: ReadonlyArray<typeof DATASOURCE_INPUT> } & Dashboard;

export function buildDashboard(spec: DashboardSpec): DashboardFileModel {
  const builder = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags(['baseten', 'baseten-metrics-bridge'])
    .refresh('1m')
    .time({ from: 'now-3h', to: 'now' })
    .timezone('browser')
    .editable()
    .variables(spec.variables);
  if (spec.links) builder.links(spec.links);
  for (const r of spec.rows) {
    builder.withRow(row(r.title));
    for (const panel of r.panels) builder.withPanel(panel);
  }
  const dashboard = builder.build();
  // The SDK places links in the controls menu by default (Grafana 12 folds them away there): show them in the bar.
  for (const link of dashboard.links ?? []) delete link.placement;
  let id = 1;
  for (const panel of (dashboard.panels ?? []) as Array<Panel | RowPanel>) {
    panel.id = id++;
    if (spec.minInterval !== undefined && panel.type !== 'row') (panel as Panel).interval = spec.minInterval;
  }
  return { __inputs: [DATASOURCE_INPUT], ...dashboard, schemaVersion: SCHEMA_VERSION };
}
