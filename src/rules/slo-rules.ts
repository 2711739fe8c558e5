/**
 * SLOs → Prometheus rule groups: per window, a recorded error ratio per model; per SLO, a fast-burn (page)
 * and a slow-burn (ticket) alert over pairs of those windows (burn-rate.ts).
 */
import { BURN_WINDOWS, burnRate, recordedWindows, windowName, type BurnWindow, type Severity } from './burn-rate.js';
import { chooseBucket } from './latency-bucket.js';
import { forLlms, LLM_MARKER_TEXT, llmModels } from './llm-models.js';
import { by, matchers, num, quote, SLO_AGGREGATION } from './promql.js';
import { DEFAULT_RUNBOOK_BASE_URL, runbookUrl } from './runbook.js';
import { ENGINE_TITLES, ranksOnce } from './engine-families.js';
import { ENGINE_LATENCY_METRICS, isEngineMetric, type LatencyHistogram } from './engine-latency.js';
import type { AlertingRule, RuleGroup } from './render.js';
import type { Slo } from './slo-spec.js';

const SEVERITY: Record<Severity, { alert: string; severity: string; for: string; what: string }> = {
  // Baseten's data lags 1–3 minutes: a short `for` keeps a page from firing on one late, bunched-up scrape.
  page: {
    alert: 'BasetenSloBudgetBurnFast',
    severity: 'critical',
    for: '2m',
    what: 'fast: the budget runs out in days at this rate',
  },
  ticket: {
    alert: 'BasetenSloBudgetBurnSlow',
    severity: 'warning',
    for: '15m',
    what: 'steadily: the budget runs out before the window ends',
  },
};

export function ratioRecordName(ms: number): string {
  return `slo:sli_error:ratio_rate${windowName(ms)}`;
}

/** The SLI of LLM models only (`llm: true`), of every other model (`llm: false`), or of every model. */
function forModels(slo: Slo, window: string, ratio: string): string {
  if (slo.llm === undefined) return ratio;
  return forLlms(
    slo.llm,
    ['(', ...ratio.split('\n').map((line) => `  ${line}`), ')'].join('\n'),
    llmModels(window, slo.selector),
  );
}

/** The SLI error ratio over `window`: the share of requests that were bad, per model. */
export function errorRatioExpr(slo: Slo, window: string): string {
  return forModels(slo, window, sliErrorRatio(slo, window));
}

/**
 * The sum per model of one histogram's rates (Baseten's: one family), or of several together (the engines': the
 * good, or all, of every engine read), each engine counted once (ranksOnce), one part a line.
 */
function sumOf(rates: readonly string[], histograms: readonly LatencyHistogram[]): string {
  const agg = by(SLO_AGGREGATION);
  if (!histograms.some((h) => h.engine)) return `sum ${agg} (${rates.join(' or ')})`;
  return `sum ${agg} (${ranksOnce(`\n    ${rates.join('\n    or\n    ')}\n  `)})`;
}

function sliErrorRatio(slo: Slo, window: string): string {
  const agg = by(SLO_AGGREGATION);
  switch (slo.sli.kind) {
    case 'latency': {
      const { thresholdSeconds, histograms } = slo.sli;
      const all = matchers(slo.selector);
      const good = histograms.flatMap((h) => {
        const le = matchers(slo.selector, [
          { name: 'le', op: '=~', value: chooseBucket(thresholdSeconds, h.buckets).leRegex, raw: true },
        ]);
        return h.families.map((family) => `rate(${family}_bucket${le}[${window}])`);
      });
      const total = histograms.flatMap((h) => h.families.map((family) => `rate(${family}_count${all}[${window}])`));
      return [`1 - (`, `  ${sumOf(good, histograms)}`, `  /`, `  ${sumOf(total, histograms)}`, `)`].join('\n');
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
  const to = slo.llm === undefined ? '' : slo.llm ? ' to an LLM' : ' to a model that is not an LLM';
  const requests = `${num(slo.objective * 100)}% of requests${to}`;
  switch (slo.sli.kind) {
    case 'latency': {
      const { metric, thresholdSeconds, histograms } = slo.sli;
      const boundary = chooseBucket(thresholdSeconds, histograms[0]!.buckets).boundary;
      if (!isEngineMetric(metric)) return `${requests} within ${num(boundary)}s (${metric.replace(/_/g, ' ')})`;
      const { title, counts } = ENGINE_LATENCY_METRICS[metric];
      const engines = histograms.flatMap((h) => (h.engine ? [ENGINE_TITLES[h.engine]] : []));
      return (
        `${requests.replace(/ of requests/, ` of ${counts}`)} within ` +
        `${num(boundary)}s (the ${engines.join(' or ')} engine's ${title})`
      );
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
    .map(
      (w) =>
        `${num(burnRate(w, slo.windowMs))}x the budget over both ${windowName(w.longMs)} and ${windowName(w.shortMs)}`,
    )
    .join(', or ');
  return {
    alert: spec.alert,
    expr: windows.map((w) => burnCondition(slo, w)).join('\nor\n'),
    for: spec.for,
    labels: { ...slo.labels, severity: spec.severity, slo: slo.name },
    annotations: {
      summary:
        `SLO ${slo.name}: {{ $labels.model_name }} ({{ $labels.environment }}) ` +
        `is burning its error budget ${spec.what}`,
      description:
        `Objective: ${describeSli(slo)} over ${windowName(slo.windowMs)}, an ` +
        `error budget of ${num((1 - slo.objective) * 100)}%. ` +
        `The error ratio, {{ $value | humanizePercentage }} over the long window, is above ${pairs}.`,
      runbook_url: runbookUrl(runbookBaseUrl, spec.alert),
    },
  };
}

/** Which models the SLO judges, when not every model its selector matches: a comment above its first rule. */
function scopeComment(slo: Slo): string | undefined {
  const engines =
    slo.sli.kind === 'latency' ? slo.sli.histograms.flatMap((h) => (h.engine ? [ENGINE_TITLES[h.engine]] : [])) : [];
  if (engines.length > 0) {
    return (
      `Only the models served by ${engines.join(' or ')}: their engine ` +
      `series carry the model's identity, which the bridge\nattaches; each ` +
      `engine counted once (max without tp_rank, pp_rank), their good and ` +
      `all requests summed.`
    );
  }
  if (slo.llm === undefined) return undefined;
  return (
    `${slo.llm ? 'Only' : 'Every model but'} the LLMs (llm: ${slo.llm}), ` +
    `the models that exported one of these within the window:\n${LLM_MARKER_TEXT}.`
  );
}

/** One group per SLO: its recorded ratios, then its two alerts, whose runbooks are on `runbookBaseUrl`'s page. */
export function sloRuleGroups(slos: readonly Slo[], runbookBaseUrl: string = DEFAULT_RUNBOOK_BASE_URL): RuleGroup[] {
  return slos.map((slo) => ({
    name: `baseten-slo-${slo.name}`,
    rules: [
      ...recordedWindows().map((ms, i) => {
        const comment = i === 0 ? scopeComment(slo) : undefined;
        return {
          record: ratioRecordName(ms),
          expr: errorRatioExpr(slo, windowName(ms)),
          labels: { slo: slo.name },
          ...(comment ? { comment } : {}),
        };
      }),
      burnAlert(slo, 'page', runbookBaseUrl),
      burnAlert(slo, 'ticket', runbookBaseUrl),
    ],
  }));
}
