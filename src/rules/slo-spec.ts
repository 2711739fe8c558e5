/**
 * The SLO file read by `baseten-bridge rules --slo FILE`: its shape, defaults and validation. Every problem
 * is collected with its YAML path and the fix, as config/load.ts does for the bridge's own config.
 * Field names follow sloth's (objective as a percentage) so that people who know it feel at home.
 */
import { Decoder, isOneOf, parseDuration } from '../decode/index.js';
import { unalertableObjective } from './burn-rate.js';
import { checkBuckets } from './bucket-check.js';
import {
  decodeEngines,
  ENGINE_LATENCY_METRICS,
  engineHistograms,
  isEngineMetric,
  type EngineLatencyMetric,
  type LatencyHistogram,
} from './engine-latency.js';
import { BucketChoiceError, chooseBucket } from './latency-bucket.js';

/** Baseten's request-latency histograms an objective can be about (BASETEN.md, REQ labels). */
export const LATENCY_METRICS = {
  end_to_end: 'baseten_end_to_end_response_time_seconds',
  time_to_first_byte: 'baseten_time_to_first_byte_seconds',
} as const;
/** Those, and the serving engines' (engine-latency.ts). */
export type LatencyMetric = keyof typeof LATENCY_METRICS | EngineLatencyMetric;

export interface LatencyObjective {
  kind: 'latency';
  metric: LatencyMetric;
  thresholdSeconds: number;
  /**
   * The histograms whose good and all requests the SLI counts together, each with its bucket boundaries when known
   * (listed in the file, seen by --probe, or an engine's): one of Baseten's, or one per engine.
   */
  histograms: LatencyHistogram[];
}

export interface AvailabilityObjective {
  kind: 'availability';
  /** RE2 regex on `status_code`, fully anchored as in PromQL: which responses count against the budget. */
  errorStatusCodes: string;
}

export interface Slo {
  name: string;
  description?: string;
  /** The good fraction, 0 < objective < 1 (the file says it in percent). */
  objective: number;
  windowMs: number;
  /** Exact label matches on the Baseten series (e.g. environment: production). */
  selector: Record<string, string>;
  /** Extra labels on the alerts (e.g. team), for Alertmanager routing. */
  labels: Record<string, string>;
  /** true: only LLM models (llm-models.ts LLM_MARKERS); false: only the others; absent: every model. */
  llm?: boolean;
  sli: LatencyObjective | AvailabilityObjective;
}

export const DEFAULT_WINDOW = '30d';
export const DEFAULT_ERROR_STATUS_CODES = '5..';
const NAME_RE = /^[a-z0-9][a-z0-9_-]*$/;
const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const MIN_WINDOW_MS = 24 * 3_600_000;
const LATENCY_METRIC_NAMES = [
  ...Object.keys(LATENCY_METRICS),
  ...Object.keys(ENGINE_LATENCY_METRICS),
] as LatencyMetric[];
const SLO_KEYS = ['name', 'description', 'objective', 'window', 'selector', 'llm', 'labels', 'latency', 'availability'];

/** A map of label name to value (not set: empty); `reserved` names are the generator's. */
function decodeLabelMap(d: Decoder, reserved: readonly string[] = []): Record<string, string> {
  return d.textMap('a map of label name to value (e.g. environment: production)', (k, v) => {
    if (!LABEL_NAME_RE.test(k)) v.problem('not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)');
    else if (reserved.includes(k)) v.problem('set by the generator; remove it');
    else if (typeof v.value !== 'string' && typeof v.value !== 'number') v.problem('must be a string');
    else return String(v.value);
    return undefined;
  });
}

function decodeObjective(d: Decoder): number {
  const value = d.value;
  const percent =
    typeof value === 'string' && /^\d+(\.\d+)?%?$/.test(value.trim()) ? Number(value.trim().replace('%', '')) : value;
  // 0.99 meant as 99 % would be an objective of 0.99 %: say so rather than generate rules that always fire.
  if (typeof percent === 'number' && percent > 0 && percent < 1) {
    d.problem(
      `${percent} looks like a ratio; objective is in percent, not a ratio ` +
        `(write ${Number((percent * 100).toFixed(4))} for ` +
        `${Number((percent * 100).toFixed(4))} %)`,
    );
    return Number.NaN;
  }
  if (typeof percent !== 'number' || !Number.isFinite(percent) || percent <= 0 || percent >= 100) {
    d.problem(`must be a percentage between 0 and 100, exclusive (e.g. 99.9) (got ${JSON.stringify(value)})`);
    return Number.NaN;
  }
  return percent / 100;
}

/** `2.5s`, `250ms`, `1m`, a Prometheus duration (`1m30s`), or a bare number of seconds. */
export function thresholdMillis(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (typeof value !== 'string') return undefined;
  const decimal = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(value.trim());
  if (decimal) return Number(decimal[1]) * { ms: 1, s: 1000, m: 60_000 }[decimal[2] as 'ms' | 's' | 'm'];
  return parseDuration(value.trim());
}

/** The `le` boundaries seen on Baseten's data, by histogram name (`rules --probe`); and where warnings go. */
export interface SloContext {
  seenBuckets?: ReadonlyMap<string, number[]>;
  warnings: string[];
}

function decodeLatency(d: Decoder, context: SloContext): LatencyObjective | undefined {
  if (!d.isMapping()) {
    d.problem('must be a map with threshold (e.g. threshold: 2.5s)');
    return undefined;
  }
  const before = d.count;
  d.mapping(['threshold', 'metric', 'buckets', 'engines'], 'a map');
  const metric = d.at('metric').value ?? 'end_to_end';
  if (!isOneOf(metric, LATENCY_METRIC_NAMES))
    d.at('metric').problem(`must be one of ${LATENCY_METRIC_NAMES.join(', ')} (got ${JSON.stringify(metric)})`);
  const threshold = d.at('threshold');
  const thresholdMs = thresholdMillis(threshold.value);
  if (thresholdMs === undefined || thresholdMs <= 0)
    threshold.problem(`must be a positive duration such as 2.5s, 250ms or 1m (got ${JSON.stringify(threshold.value)})`);
  const engineMetric = typeof metric === 'string' && isEngineMetric(metric);
  let buckets: number[] | undefined;
  const list = d.at('buckets').value;
  if (list !== undefined && engineMetric) {
    d.at('buckets').problem(
      "the engines' boundaries are known and used (vLLM's and SGLang's " +
        'differ); remove buckets (rules --probe reads them from Baseten if an ' +
        "engine's were changed)",
    );
  } else if (list !== undefined) {
    if (
      !Array.isArray(list) ||
      list.length === 0 ||
      !list.every((b) => typeof b === 'number' && Number.isFinite(b) && b > 0)
    ) {
      d.at('buckets').problem(
        "must be a list of the histogram's positive bucket boundaries in seconds (the le values, without +Inf)",
      );
    } else {
      buckets = [...(list as number[])].sort((a, b) => a - b);
    }
  }
  const engines = engineMetric ? decodeEngines(d.at('engines')) : undefined;
  if (!engineMetric && d.at('engines').isSet)
    d.at('engines').problem(
      `applies to the engine metrics only (${Object.keys(ENGINE_LATENCY_METRICS).join(', ')}); remove it`,
    );
  if (d.count > before || thresholdMs === undefined) return undefined;
  const seconds = thresholdMs / 1000;
  if (engineMetric) {
    const histograms = engineHistograms(seconds, metric, engines!, context.seenBuckets, d, context.warnings);
    return histograms && { kind: 'latency', metric, thresholdSeconds: seconds, histograms };
  }
  const name = LATENCY_METRICS[metric as keyof typeof LATENCY_METRICS];
  const checked = checkBuckets(
    seconds,
    name,
    buckets,
    context.seenBuckets ? (context.seenBuckets.get(name) ?? []) : undefined,
    d.path,
  );
  context.warnings.push(...checked.warnings);
  try {
    chooseBucket(seconds, checked.buckets);
  } catch (err) {
    if (!(err instanceof BucketChoiceError)) throw err;
    for (const problem of err.problems) threshold.problem(problem);
    return undefined;
  }
  return {
    kind: 'latency',
    metric: metric as LatencyMetric,
    thresholdSeconds: seconds,
    histograms: [{ families: [name], ...(checked.buckets ? { buckets: checked.buckets } : {}) }],
  };
}

function decodeAvailability(d: Decoder): AvailabilityObjective | undefined {
  if (d.isSet && !d.isMapping()) {
    d.problem('must be a map (it may be empty: availability: {})');
    return undefined;
  }
  d.mapping(['error_status_codes'], 'a map');
  const field = d.at('error_status_codes');
  const codes = field.value ?? DEFAULT_ERROR_STATUS_CODES;
  if (typeof codes !== 'string' || codes === '') {
    field.problem('must be a regex on status_code such as "5.." or "5..|429"');
    return undefined;
  }
  try {
    new RegExp(`^(?:${codes})$`);
  } catch {
    field.problem(`not a valid regex (got ${JSON.stringify(codes)})`);
    return undefined;
  }
  return { kind: 'availability', errorStatusCodes: codes };
}

function decodeSlo(d: Decoder, context: SloContext): Slo | undefined {
  if (!d.isMapping()) {
    d.problem('must be a map with name, objective and latency or availability');
    return undefined;
  }
  const before = d.count;
  d.mapping(SLO_KEYS, 'a map');
  const name = d.at('name').value;
  if (typeof name !== 'string' || !NAME_RE.test(name))
    d.at('name').problem(`must be lowercase letters, digits, - or _ (e.g. llm-latency) (got ${JSON.stringify(name)})`);
  const description = d.at('description').value;
  if (description !== undefined && typeof description !== 'string') d.at('description').problem('must be a string');
  const objective = decodeObjective(d.at('objective'));
  const windowText = d.at('window').value ?? DEFAULT_WINDOW;
  const windowMs = typeof windowText === 'string' ? parseDuration(windowText) : undefined;
  if (windowMs === undefined || windowMs < MIN_WINDOW_MS)
    d.at('window').problem(`must be a duration of at least 1d, such as 28d or 30d (got ${JSON.stringify(windowText)})`);
  if (!Number.isNaN(objective) && windowMs !== undefined && windowMs >= MIN_WINDOW_MS) {
    const problem = unalertableObjective(objective, windowMs);
    if (problem) d.at('objective').problem(problem);
  }
  const selector = decodeLabelMap(d.at('selector'), ['le', 'status_code', '__name__']);
  const labels = decodeLabelMap(d.at('labels'), ['slo', 'severity', 'window']);
  const llm = d.at('llm').value;
  if (llm !== undefined && typeof llm !== 'boolean')
    d.at('llm').problem(`must be true (only LLM models) or false (only the others) (got ${JSON.stringify(llm)})`);
  const hasLatency = d.at('latency').value !== undefined;
  const hasAvailability = d.at('availability').value !== undefined;
  let sli: Slo['sli'] | undefined;
  if (hasLatency === hasAvailability) {
    d.problem('needs exactly one of latency (e.g. latency: {threshold: 2.5s}) or availability (e.g. availability: {})');
  } else if (hasLatency) {
    sli = decodeLatency(d.at('latency'), context);
  } else {
    sli = decodeAvailability(d.at('availability'));
  }
  const latencyMetric = d.at('latency').at('metric').value;
  if (typeof latencyMetric === 'string' && isEngineMetric(latencyMetric)) {
    // The engines' series carry the Baseten identity, not the request labels; every model they have is an LLM.
    if ('is_async' in selector)
      d.at('selector')
        .at('is_async')
        .problem("the engines' series do not carry it (an engine counts every request it served); remove it");
    if (typeof llm === 'boolean')
      d.at('llm').problem('an engine metric judges the models served by vLLM or SGLang, LLMs all; remove llm');
  }
  if (d.count > before || !sli || windowMs === undefined) return undefined;
  const slo: Slo = { name: name as string, objective, windowMs, selector, labels, sli };
  if (typeof description === 'string') slo.description = description;
  if (typeof llm === 'boolean') slo.llm = llm;
  return slo;
}

/** Validates a parsed SLO file; returns the SLOs or every problem found, and warnings about thresholds. */
export function readSloFile(
  raw: unknown,
  seenBuckets?: ReadonlyMap<string, number[]>,
): { slos: Slo[]; problems: string[]; warnings: string[] } {
  const root = new Decoder(raw);
  const context: SloContext = { warnings: [], ...(seenBuckets ? { seenBuckets } : {}) };
  if (!root.isMapping())
    return { slos: [], problems: ['(top level): must be a map with a list under slos'], warnings: [] };
  root.mapping(['slos'], 'a map');
  const list = root.at('slos');
  if (!Array.isArray(list.value) || list.value.length === 0) {
    list.problem('must be a non-empty list of objectives (see deploy/slo/slos.yml)');
    return { slos: [], problems: root.problems, warnings: [] };
  }
  const slos: Slo[] = [];
  for (const item of list.items()) {
    const slo = decodeSlo(item, context);
    if (slo) slos.push(slo);
  }
  validateNames(list);
  return { slos, problems: root.problems, warnings: context.warnings };
}

/** Each SLO's name once in the file. */
function validateNames(list: Decoder): void {
  const first = new Map<string, number>();
  list.items().forEach((item, i) => {
    const name = item.at('name').value;
    if (typeof name !== 'string') return;
    const earlier = first.get(name);
    if (earlier === undefined) first.set(name, i);
    else item.at('name').problem(`"${name}" is already used by slos[${earlier}]; names must be unique`);
  });
}
