/**
 * The dashboards shipped in grafana/dashboards/, as code. `npm run dashboards:generate` writes them; a test
 * checks that the checked-in JSON is exactly what this code produces.
 */
import type { DashboardFileModel } from './dashboard.js';
import { bridgeHealth } from './bridge-health.js';
import { engines } from './engines.js';
import { llm } from './llm.js';
import { modelOverview } from './model-overview.js';
import { resources } from './resources.js';

export { SCHEMA_VERSION } from './dashboard.js';
export { BRIDGE_VARIABLE_QUERIES, DATASOURCE_INPUT, MODEL_VARIABLE_QUERIES } from './variables.js';

export interface DashboardFile {
  /** File name in grafana/dashboards/. */
  file: string;
  build: () => DashboardFileModel;
}

export const DASHBOARDS: readonly DashboardFile[] = [
  { file: 'baseten-model-overview.json', build: modelOverview },
  { file: 'baseten-resources.json', build: resources },
  { file: 'baseten-llm.json', build: llm },
  { file: 'baseten-llm-engines.json', build: engines },
  { file: 'baseten-bridge-health.json', build: bridgeHealth },
];

/** The bytes checked in: two-space JSON and a final newline. */
export function renderDashboard(dashboard: DashboardFileModel): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
