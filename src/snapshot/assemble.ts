/**
 * Turns the parsed families of one fetch into the families to serve: every sample relabeled (through the
 * cache), regrouped under its possibly new family name, duplicates and broken histograms left out and counted.
 */
import { formatLabels, ownedSuffixes } from '../exposition/index.js';
import type { LabelPairs, MetricFamily, MetricType, Sample } from '../exposition/model.js';
import type { SeriesRelabelCache } from '../relabel/series-cache.js';
import type { DropReason } from '../selfmetrics/bridge-metrics.js';
import { dropBrokenHistograms } from './histogram-check.js';

export interface Assembled {
  families: MetricFamily[];
  seriesIn: number;
  seriesOut: number;
  dropped: Map<DropReason, number>;
  /** Series dropped by each relabel rule (its index). */
  droppedByRule: Map<number, number>;
}

/**
 * The suffix by which a sample belongs to its family (`_bucket` of a histogram), or ''. OpenMetrics owns
 * every suffix text 0.0.4 does, plus a counter's `_total`, which a text parse never attaches to a family.
 */
function suffixOf(family: MetricFamily, sampleName: string): string {
  if (!sampleName.startsWith(family.name)) return '';
  const rest = sampleName.slice(family.name.length);
  return ownedSuffixes(family.type, 'openmetrics').includes(rest) ? rest : '';
}

/** What became of one input sample: kept under a family with its rendered series text, or dropped. */
export type SampleOutcome = { family: string; series: string; labelNames: string[] } | { dropped: DropReason; rule?: number };

export function assembleFamilies(
  parsed: readonly MetricFamily[],
  cache: SeriesRelabelCache,
  helpSuffix: string,
  record?: (sample: Sample, outcome: SampleOutcome) => void,
): Assembled {
  const out = new Map<string, MetricFamily>();
  const seen = new Set<string>();
  const dropped = new Map<DropReason, number>();
  const drop = (reason: DropReason, n = 1) => dropped.set(reason, (dropped.get(reason) ?? 0) + n);
  const droppedByRule = new Map<number, number>();
  let seriesIn = 0;

  for (const family of parsed) {
    for (const sample of family.samples) {
      seriesIn++;
      const outcome = cache.apply(sample.name, sample.labels);
      if (!outcome.kept) {
        drop(outcome.reason);
        if (outcome.rule !== undefined) droppedByRule.set(outcome.rule, (droppedByRule.get(outcome.rule) ?? 0) + 1);
        record?.(sample, outcome.rule !== undefined ? { dropped: outcome.reason, rule: outcome.rule } : { dropped: outcome.reason });
        continue;
      }
      if (seen.has(outcome.key)) {
        drop('duplicate');
        record?.(sample, { dropped: 'duplicate' });
        continue;
      }
      seen.add(outcome.key);
      // A sample keeps its family when relabeling left its name alone, or renamed the family as a whole.
      const suffix = suffixOf(family, sample.name);
      const sameShape = outcome.name === sample.name || (suffix !== '' && outcome.name.endsWith(suffix));
      const familyName = sameShape ? outcome.name.slice(0, outcome.name.length - suffix.length) : outcome.name;
      const type: MetricType = sameShape ? family.type : 'untyped';
      let target = out.get(familyName);
      if (!target) {
        target = { name: familyName, type, help: withSuffix(family.help, familyName, helpSuffix), samples: [] };
        if (family.unit && sameShape) target.unit = family.unit;
        out.set(familyName, target);
      } else if (target.type !== type) {
        drop('type_conflict');
        record?.(sample, { dropped: 'type_conflict' });
        continue;
      }
      target.samples.push(copySample(outcome.name, outcome.labels, sample));
      if (record) record(sample, { family: familyName, series: `${outcome.name}${formatLabels(outcome.labels)}`, labelNames: outcome.labels.map(([name]) => name) });
    }
  }

  const families = [...out.values()];
  const brokenHistogramSeries = dropBrokenHistograms(families);
  if (brokenHistogramSeries > 0) drop('broken_histogram', brokenHistogramSeries);
  let seriesOut = 0;
  for (const f of families) seriesOut += f.samples.length;
  return { families: families.filter((f) => f.samples.length > 0), seriesIn, seriesOut, dropped, droppedByRule };
}

function copySample(name: string, labels: LabelPairs, from: Sample): Sample {
  const sample: Sample = { name, labels, value: from.value };
  if (from.timestampMs !== undefined) sample.timestampMs = from.timestampMs;
  return sample;
}

function withSuffix(help: string | undefined, familyName: string, suffix: string): string {
  return `${help && help !== '' ? help : `Baseten metric ${familyName}.`} ${suffix}`;
}
