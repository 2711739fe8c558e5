/**
 * The SLO file read by `baseten-bridge rules --slo FILE`: its shape, defaults and validation. Every problem
 * is collected with its YAML path and the fix, as config/load.ts does for the bridge's own config.
 * Field names follow sloth's (objective as a percentage) so that people who know it feel at home.
 */
import { parseDuration } from '../decode/index.js';
import { unalertableObjective } from './burn-rate.js';
import { checkBuckets } from './bucket-check.js';
import { BucketChoiceError, chooseBucket } from './latency-bucket.js';

/** The request-latency histograms an objective can be about (BASETEN.md, REQ labels). */
export const LATENCY_METRICS = {
  end_to_end: 'baseten_end_to_end_response_time_seconds',
  time_to_first_byte: 'baseten_time_to_first_byte_seconds',
} as const;
export type LatencyMetric = keyof typeof LATENCY_METRICS;

export interface LatencyObjective {
  kind: 'latency';
  metric: LatencyMetric;
  thresholdSeconds: number;
  /** The histogram's bucket boundaries when the file lists them (see latency-bucket.ts). */
  buckets?: number[];
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
  sli: LatencyObjective | AvailabilityObjective;
}

export const DEFAULT_WINDOW = '30d';
export const DEFAULT_ERROR_STATUS_CODES = '5..';
const NAME_RE = /^[a-z0-9][a-z0-9_-]*$/;
const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const SLO_KEYS = ['name', 'description', 'objective', 'window', 'selector', 'labels', 'latency', 'availability'];

type Raw = Record<string, unknown>;

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownKeys(value: Raw, known: string[], path: string, problems: string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) problems.push(`${path}.${key}: unknown field (known fields: ${known.join(', ')})`);
  }
}

function stringMap(value: unknown, path: string, problems: string[], reserved: string[] = []): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) {
    problems.push(`${path}: must be a map of label name to value (e.g. environment: production)`);
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (!LABEL_NAME_RE.test(k)) problems.push(`${path}.${k}: not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)`);
    else if (reserved.includes(k)) problems.push(`${path}.${k}: set by the generator; remove it`);
    else if (typeof v !== 'string' && typeof v !== 'number') problems.push(`${path}.${k}: must be a string`);
    else out[k] = String(v);
  }
  return out;
}

function readObjective(value: unknown, path: string, problems: string[]): number {
  const percent = typeof value === 'string' && /^\d+(\.\d+)?%?$/.test(value.trim()) ? Number(value.trim().replace('%', '')) : value;
  // 0.99 meant as 99 % would be an objective of 0.99 %: say so rather than generate rules that always fire.
  if (typeof percent === 'number' && percent > 0 && percent < 1) {
    problems.push(`${path}: ${percent} looks like a ratio; objective is in percent, not a ratio (write ${Number((percent * 100).toFixed(4))} for ${Number((percent * 100).toFixed(4))} %)`);
    return Number.NaN;
  }
  if (typeof percent !== 'number' || !Number.isFinite(percent) || percent <= 0 || percent >= 100) {
    problems.push(`${path}: must be a percentage between 0 and 100, exclusive (e.g. 99.9) (got ${JSON.stringify(value)})`);
    return Number.NaN;
  }
  return percent / 100;
}

/** `2.5s`, `250ms`, `1m`, a Prometheus duration (`1m30s`), or a bare number of seconds. */
function thresholdMillis(value: unknown): number | undefined {
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

function readLatency(value: unknown, path: string, problems: string[], context: SloContext): LatencyObjective | undefined {
  if (!isObject(value)) {
    problems.push(`${path}: must be a map with threshold (e.g. threshold: 2.5s)`);
    return undefined;
  }
  const before = problems.length;
  unknownKeys(value, ['threshold', 'metric', 'buckets'], path, problems);
  const metric = value.metric ?? 'end_to_end';
  if (typeof metric !== 'string' || !(metric in LATENCY_METRICS)) {
    problems.push(`${path}.metric: must be one of ${Object.keys(LATENCY_METRICS).join(', ')} (got ${JSON.stringify(metric)})`);
  }
  const thresholdMs = thresholdMillis(value.threshold);
  if (thresholdMs === undefined || thresholdMs <= 0) {
    problems.push(`${path}.threshold: must be a positive duration such as 2.5s, 250ms or 1m (got ${JSON.stringify(value.threshold)})`);
  }
  let buckets: number[] | undefined;
  if (value.buckets !== undefined) {
    const list = value.buckets;
    if (!Array.isArray(list) || list.length === 0 || !list.every((b) => typeof b === 'number' && Number.isFinite(b) && b > 0)) {
      problems.push(`${path}.buckets: must be a list of the histogram's positive bucket boundaries in seconds (the le values, without +Inf)`);
    } else {
      buckets = [...(list as number[])].sort((a, b) => a - b);
    }
  }
  if (problems.length > before || thresholdMs === undefined) return undefined;
  const name = LATENCY_METRICS[metric as LatencyMetric];
  const checked = checkBuckets(thresholdMs / 1000, name, buckets, context.seenBuckets ? (context.seenBuckets.get(name) ?? []) : undefined, path);
  context.warnings.push(...checked.warnings);
  buckets = checked.buckets;
  try {
    chooseBucket(thresholdMs / 1000, buckets);
  } catch (err) {
    if (!(err instanceof BucketChoiceError)) throw err;
    problems.push(`${path}.threshold: ${err.message}`);
    return undefined;
  }
  return { kind: 'latency', metric: metric as LatencyMetric, thresholdSeconds: thresholdMs / 1000, buckets };
}

function readAvailability(value: unknown, path: string, problems: string[]): AvailabilityObjective | undefined {
  const raw = value ?? {};
  if (!isObject(raw)) {
    problems.push(`${path}: must be a map (it may be empty: availability: {})`);
    return undefined;
  }
  unknownKeys(raw, ['error_status_codes'], path, problems);
  const codes = raw.error_status_codes ?? DEFAULT_ERROR_STATUS_CODES;
  if (typeof codes !== 'string' || codes === '') {
    problems.push(`${path}.error_status_codes: must be a regex on status_code such as "5.." or "5..|429"`);
    return undefined;
  }
  try {
    new RegExp(`^(?:${codes})$`);
  } catch {
    problems.push(`${path}.error_status_codes: not a valid regex (got ${JSON.stringify(codes)})`);
    return undefined;
  }
  return { kind: 'availability', errorStatusCodes: codes };
}

function readSlo(value: unknown, path: string, problems: string[], context: SloContext): Slo | undefined {
  if (!isObject(value)) {
    problems.push(`${path}: must be a map with name, objective and latency or availability`);
    return undefined;
  }
  const before = problems.length;
  unknownKeys(value, SLO_KEYS, path, problems);
  const name = value.name;
  if (typeof name !== 'string' || !NAME_RE.test(name)) {
    problems.push(`${path}.name: must be lowercase letters, digits, - or _ (e.g. llm-latency) (got ${JSON.stringify(name)})`);
  }
  if (value.description !== undefined && typeof value.description !== 'string') problems.push(`${path}.description: must be a string`);
  const objective = readObjective(value.objective, `${path}.objective`, problems);
  const windowText = value.window ?? DEFAULT_WINDOW;
  const windowMs = typeof windowText === 'string' ? parseDuration(windowText) : undefined;
  if (windowMs === undefined || windowMs < 24 * 3_600_000) {
    problems.push(`${path}.window: must be a duration of at least 1d, such as 28d or 30d (got ${JSON.stringify(windowText)})`);
  }
  if (!Number.isNaN(objective) && windowMs !== undefined && windowMs >= 24 * 3_600_000) {
    const problem = unalertableObjective(objective, windowMs);
    if (problem) problems.push(`${path}.objective: ${problem}`);
  }
  const selector = stringMap(value.selector, `${path}.selector`, problems, ['le', 'status_code', '__name__']);
  const labels = stringMap(value.labels, `${path}.labels`, problems, ['slo', 'severity', 'window']);
  const hasLatency = value.latency !== undefined;
  const hasAvailability = value.availability !== undefined;
  let sli: Slo['sli'] | undefined;
  if (hasLatency === hasAvailability) {
    problems.push(`${path}: needs exactly one of latency (e.g. latency: {threshold: 2.5s}) or availability (e.g. availability: {})`);
  } else if (hasLatency) {
    sli = readLatency(value.latency, `${path}.latency`, problems, context);
  } else {
    sli = readAvailability(value.availability, `${path}.availability`, problems);
  }
  if (problems.length > before || !sli || windowMs === undefined) return undefined;
  const slo: Slo = { name: name as string, objective, windowMs, selector, labels, sli };
  if (typeof value.description === 'string') slo.description = value.description;
  return slo;
}

/** Validates a parsed SLO file; returns the SLOs or every problem found, and warnings about thresholds. */
export function readSloFile(raw: unknown, seenBuckets?: ReadonlyMap<string, number[]>): { slos: Slo[]; problems: string[]; warnings: string[] } {
  const problems: string[] = [];
  const context: SloContext = { warnings: [], ...(seenBuckets ? { seenBuckets } : {}) };
  if (!isObject(raw)) return { slos: [], problems: ['(top level): must be a map with a list under slos'], warnings: [] };
  unknownKeys(raw, ['slos'], '(top level)', problems);
  if (!Array.isArray(raw.slos) || raw.slos.length === 0) {
    problems.push('slos: must be a non-empty list of objectives (see deploy/slo/slos.yml)');
    return { slos: [], problems, warnings: [] };
  }
  const slos: Slo[] = [];
  raw.slos.forEach((item: unknown, i: number) => {
    const slo = readSlo(item, `slos[${i}]`, problems, context);
    if (slo) slos.push(slo);
  });
  const first = new Map<string, number>();
  raw.slos.forEach((item: unknown, i: number) => {
    const name = isObject(item) ? item.name : undefined;
    if (typeof name !== 'string') return;
    const earlier = first.get(name);
    if (earlier === undefined) first.set(name, i);
    else problems.push(`slos[${i}].name: "${name}" is already used by slos[${earlier}]; names must be unique`);
  });
  return { slos, problems, warnings: context.warnings };
}
