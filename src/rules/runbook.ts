/** Where an alert's `runbook_url` points: a page with one heading per alert, the anchor its lowercase name. */
import type { AlertingRule } from './slo-rules.js';

/**
 * Where the runbooks live: relative to this repository (the project has no canonical public URL). Replace it
 * with the address where you host docs/DASHBOARDS.md to make the links clickable in notifications.
 */
export const RUNBOOK_BASE = 'docs/DASHBOARDS.md';

/** `…/DASHBOARDS.md#basetenbridgedown`: GitHub's and most renderers' anchor for a `### BasetenBridgeDown` heading. */
export function runbookUrl(base: string, alert: string): string {
  return `${base}#${alert.toLowerCase()}`;
}

/** An alert with `runbook_url` added last, after the annotations it was written with. */
export function withRunbook(base: string, rule: AlertingRule): AlertingRule {
  return { ...rule, annotations: { ...rule.annotations, runbook_url: runbookUrl(base, rule.alert) } };
}
