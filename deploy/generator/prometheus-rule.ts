/**
 * deploy/kubernetes/common/prometheus-rule.yaml: the Prometheus Operator's PrometheusRule holding every group of
 * deploy/prometheus/rules/*.yml, so Kubernetes and Compose users run the same rules. Written by
 * `npm run dashboards:generate`; a test checks it matches the rule files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

export const RULES_DIR = 'deploy/prometheus/rules';
export const PROMETHEUS_RULE_FILE = 'deploy/kubernetes/common/prometheus-rule.yaml';

export function ruleGroups(root: string): unknown[] {
  return readdirSync(join(root, RULES_DIR))
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .flatMap((file) => (parse(readFileSync(join(root, RULES_DIR, file), 'utf8')) as { groups: unknown[] }).groups);
}

export function renderPrometheusRule(root: string): string {
  const header = [
    '# Generated from deploy/prometheus/rules/*.yml by `npm run dashboards:generate`. Do not edit: change the rule',
    '# files and run it again. The `release` label kube-prometheus-stack selects by is set in kustomization.yaml.',
  ].join('\n');
  const manifest = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'baseten-bridge', labels: { 'app.kubernetes.io/name': 'baseten-bridge' } },
    spec: { groups: ruleGroups(root) },
  };
  return `${header}\n${stringify(manifest, { lineWidth: 0, blockQuote: 'literal' })}`;
}
