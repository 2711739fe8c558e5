/**
 * Which sample names belong to which family, in each format, and how a family is named when it is
 * written in the other format.
 *
 * Text 0.0.4: a histogram `x` owns `x_bucket`, `x_sum`, `x_count`, a summary `x` owns `x`, `x_sum`,
 * `x_count` (expfmt/text_parse.go setOrCreateCurrentMF); both also own `x_created`, which client
 * libraries write next to them. OpenMetrics 1.0 (the spec's "Suffixes" per type): a counter `x` owns
 * `x_total` and `x_created`, an info `x` owns `x_info`, a gaugehistogram `x` owns `x_bucket`,
 * `x_gcount`, `x_gsum`.
 */
import type { ExpositionFormat, MetricFamily, MetricType, Sample } from './model.js';

const NONE: readonly string[] = [];
const HISTOGRAM = ['_bucket', '_sum', '_count', '_created'] as const;
const SUMMARY = ['_sum', '_count', '_created'] as const;

/** Every suffix any type owns. No two can end the same name (`_gsum` does not end in `_sum`). */
export const KNOWN_SUFFIXES: readonly string[] = [
  '_bucket',
  '_count',
  '_sum',
  '_created',
  '_total',
  '_info',
  '_gcount',
  '_gsum',
];

/** The suffixes a family of `type` claims for its samples, besides its bare name. */
export function ownedSuffixes(type: MetricType, format: ExpositionFormat): readonly string[] {
  switch (type) {
    case 'histogram':
      return HISTOGRAM;
    case 'summary':
      return SUMMARY;
    case 'counter':
      return format === 'openmetrics' ? ['_total', '_created'] : NONE;
    case 'gaugehistogram':
      return ['_bucket', '_gcount', '_gsum'];
    case 'info':
      return ['_info'];
    case 'gauge':
    case 'untyped':
    case 'unknown':
    case 'stateset':
      return NONE;
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}

/** One `# HELP`/`# TYPE` block of text 0.0.4 output. */
export interface TextBlock {
  name: string;
  type: MetricType;
  samples: Sample[];
}

/**
 * How a family is written in text 0.0.4, as one or more blocks, chosen so that reading the output back
 * and writing it again gives the same bytes:
 * - a counter read from OpenMetrics (`x` with samples `x_total`) is named `x_total`, as client_golang
 *   names it, and its `x_created` samples go to a gauge `x_created` after it, as client_python writes them;
 * - a type text lacks (unknown, info, stateset, gaugehistogram) becomes one untyped block per sample
 *   name, since text has no family to hold `x_info` or `x_gcount` under `x`;
 * - every other family is one block under its own name.
 */
export function textBlocks(family: MetricFamily): TextBlock[] {
  const { name, samples } = family;
  switch (family.type) {
    case 'counter': {
      const created = `${openMetricsFamilyName(family)}_created`;
      if (!samples.some((s) => s.name === created))
        return [{ name: counterTextName(name, samples), type: 'counter', samples }];
      const counted = samples.filter((s) => s.name !== created);
      return [
        { name: counterTextName(name, counted), type: 'counter' as const, samples: counted },
        { name: created, type: 'gauge' as const, samples: samples.filter((s) => s.name === created) },
      ].filter((block) => block.samples.length > 0);
    }
    case 'gauge':
    case 'histogram':
    case 'summary':
    case 'untyped':
      return [{ name, type: family.type, samples }];
    case 'unknown':
    case 'info':
    case 'stateset':
    case 'gaugehistogram':
      return blocksBySampleName(samples);
    default: {
      const unreachable: never = family.type;
      return unreachable;
    }
  }
}

function counterTextName(name: string, samples: readonly Sample[]): string {
  const total = `${name}_total`;
  return !name.endsWith('_total') && samples.some((s) => s.name === total) ? total : name;
}

function blocksBySampleName(samples: Sample[]): TextBlock[] {
  const first = samples[0]?.name ?? '';
  if (samples.every((s) => s.name === first)) return [{ name: first, type: 'untyped', samples }];
  const byName = new Map<string, Sample[]>();
  for (const s of samples) {
    const group = byName.get(s.name);
    if (group === undefined) byName.set(s.name, [s]);
    else group.push(s);
  }
  return [...byName].map(([blockName, group]) => ({ name: blockName, type: 'untyped' as const, samples: group }));
}

/** The TYPE to write in OpenMetrics, which calls untyped `unknown`. */
export function openMetricsType(type: MetricType): MetricType {
  return type === 'untyped' ? 'unknown' : type;
}

/** The OpenMetrics family name: a counter's name never ends in `_total` (client_golang openmetrics_create.go). */
export function openMetricsFamilyName(family: MetricFamily): string {
  const { name } = family;
  return family.type === 'counter' && name.endsWith('_total') ? name.slice(0, -'_total'.length) : name;
}

/** The OpenMetrics sample name: a counter's bare sample gets its mandatory `_total`. */
export function openMetricsSampleName(family: MetricFamily, familyName: string, sampleName: string): string {
  return family.type === 'counter' && sampleName === familyName ? `${sampleName}_total` : sampleName;
}
