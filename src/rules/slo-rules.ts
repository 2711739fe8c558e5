/**
 * SLOs → Prometheus rule groups: per window, a recorded error ratio per model; per SLO, a fast-burn (page)
 * and a slow-burn (ticket) alert over pairs of those windows (burn-rate.ts).
 */
import { BURN_WINDOWS, burnRate, recordedWindows, windowName, type BurnWindow, type Severity } from './burn-rate.js';
import { chooseBucket } from './latency-bucket.js';
import { forLlms, LLM_MARKER_TEXT, llmModels } from './llm-models.js';
import { by, matchers, num, quote, SLO_AGGREGATION } from './promql.js';
import { DEFAULT_RUNBOOK_BASE_URL, runbookUrl } from './runbook.js';
import { LATENCY_METRICS, type Slo } from './slo-spec.js';

export interface RecordingRule {
  record: string;
  expr: string;
  labels: Record<string, string>;
  /** Why the rule looks the way it does: a comment above it in the file, not part of the rule. */
  comment?: string;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Why the rule looks the way it does: a comment above it in the file, not part of the rule. */
  comment?: string;
}

export interface RuleGroup {
  name: string;
  rules: Array<RecordingRule | AlertingRule>;
}

const SEVERITY: Record<Severity, { alert: string; severity: string; for: string; what: string }> = {
  // Baseten's data lags 1–3 minutes: a short `for` keeps a page from firing on one late, bunched-up scrape.
  page: { alert: 'BasetenSloBudgetBurnFast', severity: 'critical', for: '2m', what: 'fast: the budget runs out in days at this rate' },
  ticket: { alert: 'BasetenSloBudgetBurnSlow', severity: 'warning', for: '15m', what: 'steadily: the budget runs out before the window ends' },
};

export function ratioRecordName(ms: number): string {
  return `slo:sli_error:ratio_rate${windowName(ms)}`;
}

/** The SLI of LLM models only (`llm: true`), of every other model (`llm: false`), or of every model. */
function forModels(slo: Slo, window: string, ratio: string): string {
  if (slo.llm === undefined) return ratio;
  return forLlms(slo.llm, ['(', ...ratio.split('\n').map((line) => `  ${line}`), ')'].join('\n'), llmModels(window, slo.selector));
}

/** The SLI error ratio over `window`: the share of requests that were bad, per model. */
export function errorRatioExpr(slo: Slo, window: string): string {
  return forModels(slo, window, sliErrorRatio(slo, window));
}

function sliErrorRatio(slo: Slo, window: string): string {
  const agg = by(SLO_AGGREGATION);
  switch (slo.sli.kind) {
    case 'latency': {
      const metric = LATENCY_METRICS[slo.sli.metric];
      const bucket = chooseBucket(slo.sli.thresholdSeconds, slo.sli.buckets);
      const good = matchers(slo.selector, [{ name: 'le', op: '=~', value: bucket.leRegex, raw: true }]);
      return [
        `1 - (`,
        `  sum ${agg} (rate(${metric}_bucket${good}[${window}]))`,
        `  /`,
        `  sum ${agg} (rate(${metric}_count${matchers(slo.selector)}[${window}]))`,
        `)`,
      ].join('\n');
    }
    case 'availability': {
      const all = `sum ${agg} (rate(baseten_inference_requests_total${matchers(slo.selector)}[${window}]))`;
      const bad = matchers(slo.selector, [{ name: 'status_code', op: '=~', value: slo.sli.errorStatusCodes }]);
      // `or … * 0`: a model with no error series at all has a ratio of 0, not no ratio.
      return [
        `(`,
        `  sum ${agg} (rate(baseten_inference_requests_total${bad}[${window}]))`,
        `  or`,
        `  ${all} * 0`,
        `)`,
        `/`,
        all,
      ].join('\n');
    }
    default: {
      const unreachable: never = slo.sli;
      throw new Error(`unknown SLI ${JSON.stringify(unreachable)}`);
    }
  }
}

function describeSli(slo: Slo): string {
  const requests = `${num(slo.objective * 100)}% of requests${slo.llm === undefined ? '' : slo.llm ? ' to an LLM' : ' to a model that is not an LLM'}`;
  switch (slo.sli.kind) {
    case 'latency': {
      const bucket = chooseBucket(slo.sli.thresholdSeconds, slo.sli.buckets);
      return `${requests} within ${num(bucket.boundary)}s (${slo.sli.metric.replace(/_/g, ' ')})`;
    }
    case 'availability':
      return `${requests} without a status_code matching ${slo.sli.errorStatusCodes}`;
    default: {
      const unreachable: never = slo.sli;
      throw new Error(`unknown SLI ${JSON.stringify(unreachable)}`);
    }
  }
}

function burnCondition(slo: Slo, window: BurnWindow): string {
  const threshold = `(${num(burnRate(window, slo.windowMs))} * ${num(1 - slo.objective)})`;
  const sel = `{slo=${quote(slo.name)}}`;
  // `max without ()` drops the metric name: when both pairs fire, `or` must see one label set, not two
  // (an alert rule whose result has duplicate label sets fails to evaluate).
  return [
    `(`,
    `  max without () (${ratioRecordName(window.longMs)}${sel} > ${threshold})`,
    `  and`,
    `  ${ratioRecordName(window.shortMs)}${sel} > ${threshold}`,
    `)`,
  ].join('\n');
}

function burnAlert(slo: Slo, severity: Severity, runbookBaseUrl: string): AlertingRule {
  const spec = SEVERITY[severity];
  const windows = BURN_WINDOWS.filter((w) => w.severity === severity);
  const pairs = windows
    .map((w) => `${num(burnRate(w, slo.windowMs))}x the budget over both ${windowName(w.longMs)} and ${windowName(w.shortMs)}`)
    .join(', or ');
  return {
    alert: spec.alert,
    expr: windows.map((w) => burnCondition(slo, w)).join('\nor\n'),
    for: spec.for,
    labels: { ...slo.labels, severity: spec.severity, slo: slo.name },
    annotations: {
      summary: `SLO ${slo.name}: {{ $labels.model_name }} ({{ $labels.environment }}) is burning its error budget ${spec.what}`,
      description:
        `Objective: ${describeSli(slo)} over ${windowName(slo.windowMs)}, an error budget of ${num((1 - slo.objective) * 100)}%. ` +
        `The error ratio, {{ $value | humanizePercentage }} over the long window, is above ${pairs}.`,
      runbook_url: runbookUrl(runbookBaseUrl, spec.alert),
    },
  };
}

function scopeComment(llm: boolean): string {
  return `${llm ? 'Only' : 'Every model but'} the LLMs (llm: ${llm}), the models that exported one of these within the window:\n${LLM_MARKER_TEXT}.`;
}

/** One group per SLO: its recorded ratios, then its two alerts, whose runbooks are on `runbookBaseUrl`'s page. */
export function sloRuleGroups(slos: readonly Slo[], runbookBaseUrl: string = DEFAULT_RUNBOOK_BASE_URL): RuleGroup[] {
  return slos.map((slo) => ({
    name: `baseten-slo-${slo.name}`,
    rules: [
      ...recordedWindows().map((ms, i) => ({
        record: ratioRecordName(ms),
        expr: errorRatioExpr(slo, windowName(ms)),
        labels: { slo: slo.name },
        ...(i === 0 && slo.llm !== undefined ? { comment: scopeComment(slo.llm) } : {}),
      })),
      burnAlert(slo, 'page', runbookBaseUrl),
      burnAlert(slo, 'ticket', runbookBaseUrl),
    ],
  }));
}
