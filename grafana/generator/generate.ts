/**
 * `npm run dashboards:generate`: writes grafana/dashboards/*.json, the panel, alert and recording-rule
 * tables of docs/DASHBOARDS.md, and deploy/kubernetes/common/prometheus-rule.yaml, from the code in this folder
 * and the rule files. Run from the repository root.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARDS, renderDashboard } from './index.js';
import { DOC_TABLES, updateDocs } from './docs-tables.js';
import { PROMETHEUS_RULE_FILE, renderPrometheusRule } from '../../deploy/generator/prometheus-rule.js';

const root = process.cwd();
for (const { file, build } of DASHBOARDS) {
  writeFileSync(join(root, 'grafana/dashboards', file), renderDashboard(build()));
  process.stdout.write(`wrote grafana/dashboards/${file}\n`);
}
for (const { file } of DOC_TABLES) {
  const path = join(root, file);
  writeFileSync(path, updateDocs(readFileSync(path, 'utf8'), root, file));
  process.stdout.write(`updated ${file}\n`);
}
writeFileSync(join(root, PROMETHEUS_RULE_FILE), renderPrometheusRule(root));
process.stdout.write(`wrote ${PROMETHEUS_RULE_FILE}\n`);
