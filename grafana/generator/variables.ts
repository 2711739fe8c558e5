/**
 * Template variables: `datasource`, then `environment` → `model_name` → `deployment_id`, each multi-select
 * with "All" (`.*`), each filtered by the ones before it. Values come from `label_values` on
 * baseten_replicas_active, a gauge every deployment has (BASETEN.md).
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

export function datasourceVariable(): cog.Builder<VariableModel> {
  return new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus');
}

function labelValues(name: string, label: string, query: string): cog.Builder<VariableModel> {
  return new QueryVariableBuilder(name)
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
    .current({ selected: true, text: 'All', value: '$__all' });
}

export const MODEL_VARIABLE_QUERIES = {
  environment: 'label_values(baseten_replicas_active, environment)',
  model_name: 'label_values(baseten_replicas_active{environment=~"$environment"}, model_name)',
  deployment_id: 'label_values(baseten_replicas_active{environment=~"$environment", model_name=~"$model_name"}, deployment_id)',
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
  return [datasourceVariable(), labelValues('instance', 'Bridge', BRIDGE_VARIABLE_QUERIES.instance), labelValues('target', 'Target', BRIDGE_VARIABLE_QUERIES.target)];
}

/** The label matchers of every model query. */
export const SEL = 'environment=~"$environment", model_name=~"$model_name", deployment_id=~"$deployment_id"';
