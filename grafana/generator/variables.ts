/**
 * Template variables: `datasource`, then `environment` → `model_name` → `deployment_id`, each multi-select
 * with "All" (`.*`), each filtered by the ones before it. Values come from `label_values` on
 * baseten_replicas_active, a gauge every deployment has.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
  type VariableModel,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DATASOURCE } from './panels.js';

/**
 * What Grafana's import dialog asks for: a Prometheus data source, as `__inputs` of Grafana's "export for
 * sharing externally". The import replaces every `${DS_PROMETHEUS}` in the JSON with the chosen data source's
 * uid (pkg/services/dashboardimport/utils/dash_template_evaluator.go); file provisioning replaces nothing.
 */
export const DATASOURCE_INPUT = {
  name: 'DS_PROMETHEUS',
  label: 'Prometheus',
  description: 'The Prometheus that scrapes the bridge',
  type: 'datasource',
  pluginId: 'prometheus',
  pluginName: 'Prometheus',
} as const;

/**
 * The `datasource` variable every panel and query reads. Only its starting value is the import input: an
 * import starts it on the data source picked, and it can be changed at the top of the dashboard later. A
 * provisioned dashboard keeps `${DS_PROMETHEUS}`, which matches no data source, so Grafana starts it on the one
 * whose name is the text here (the data source grafana/provisioning provisions), else on the first Prometheus.
 */
export function datasourceVariable(): cog.Builder<VariableModel> {
  return new DatasourceVariableBuilder('datasource')
    .label('Data source')
    .type('prometheus')
    .current({ selected: true, text: 'Prometheus', value: `\${${DATASOURCE_INPUT.name}}` });
}

function labelValues(name: string, label: string, query: string): cog.Builder<VariableModel> {
  return (
    new QueryVariableBuilder(name)
      .label(label)
      .datasource(DATASOURCE)
      .query({ query, refId: 'PrometheusVariableQueryEditor-VariableQuery', qryType: 1 })
      .definition(query)
      .refresh(VariableRefresh.OnTimeRangeChanged)
      .sort(VariableSort.AlphabeticalCaseInsensitiveAsc)
      .multi(true)
      .includeAll(true)
      // `.*` also matches series without the label (development deployments have no environment).
      .allValue('.*')
      .current({ selected: true, text: 'All', value: '$__all' })
  );
}

export const MODEL_VARIABLE_QUERIES = {
  environment: 'label_values(baseten_replicas_active, environment)',
  model_name: 'label_values(baseten_replicas_active{environment=~"$environment"}, model_name)',
  deployment_id:
    'label_values(baseten_replicas_active{environment=~"$environment", model_name=~"$model_name"}, deployment_id)',
} as const;

export function modelVariables(): cog.Builder<VariableModel>[] {
  return [
    datasourceVariable(),
    labelValues('environment', 'Environment', MODEL_VARIABLE_QUERIES.environment),
    labelValues('model_name', 'Model', MODEL_VARIABLE_QUERIES.model_name),
    labelValues('deployment_id', 'Deployment', MODEL_VARIABLE_QUERIES.deployment_id),
  ];
}

/** The bridge-health dashboard selects bridges, not models. */
export const BRIDGE_VARIABLE_QUERIES = {
  instance: 'label_values(baseten_bridge_build_info, instance)',
  // One bridge can fetch several workspaces: each is a target.
  target: 'label_values(baseten_bridge_upstream_up{instance=~"$instance"}, target)',
} as const;

export function bridgeVariables(): cog.Builder<VariableModel>[] {
  return [
    datasourceVariable(),
    labelValues('instance', 'Bridge', BRIDGE_VARIABLE_QUERIES.instance),
    labelValues('target', 'Target', BRIDGE_VARIABLE_QUERIES.target),
  ];
}

/** The label matchers of every model query. */
export const SEL = 'environment=~"$environment", model_name=~"$model_name", deployment_id=~"$deployment_id"';
