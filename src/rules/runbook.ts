/** Where an alert's `runbook_url` points: a page with one heading per alert, the anchor its lowercase name. */
import type { AlertingRule } from './render.js';

/**
 * The runbooks when `--runbook.base-url` is not given: docs/DASHBOARDS.md of this repository on GitHub, whose
 * `### <AlertName>` headings GitHub anchors as `#<alertname>`. The project has no docs host of its own yet;
 * point the flag at the page where you keep (a copy of) the runbooks.
 */
export const DEFAULT_RUNBOOK_BASE_URL =
  'https://github.com/baseten-metrics-bridge/baseten-metrics-bridge/blob/main/docs/DASHBOARDS.md';

/** `…/DASHBOARDS.md#basetenbridgedown`: GitHub's and most renderers' anchor for a `### BasetenBridgeDown` heading. */
export function runbookUrl(base: string, alert: string): string {
  return `${base}#${alert.toLowerCase()}`;
}

/** An alert with `runbook_url` added last, after the annotations it was written with. */
export function withRunbook(base: string, rule: AlertingRule): AlertingRule {
  return { ...rule, annotations: { ...rule.annotations, runbook_url: runbookUrl(base, rule.alert) } };
}

/** Why `value` cannot be a runbook base (to follow `"value" `), or undefined when it can. */
export function runbookBaseProblem(value: string): string | undefined {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return (
      'is not an absolute http(s) URL: Alertmanager and Grafana open it from ' +
      'a notification, away from this repository (e.g. ' +
      'https://wiki.example.com/baseten-runbooks)'
    );
  }
  if (value.includes('#'))
    return "has a #fragment: give the page; each alert's anchor (#basetenbridgedown) is added to it";
  return undefined;
}
