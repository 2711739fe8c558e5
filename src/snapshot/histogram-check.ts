/**
 * A histogram is only useful whole: every `_bucket` needs an `le`, and each label set needs a `+Inf` bucket
 * (histogram_quantile returns NaN otherwise). Relabeling can break that (a labeldrop of `le`, a drop of the
 * `+Inf` series): such label sets are left out, with their `_sum` and `_count`, rather than served broken.
 */
import { parseGoFloat } from '../exposition/index.js';
import type { LabelPairs, MetricFamily } from '../exposition/model.js';

function groupKey(labels: LabelPairs): string {
  let key = '';
  for (const [k, v] of labels) if (k !== 'le') key += `\u0000${k}\u0000${v}`;
  return key;
}


/** Removes broken label sets from histogram families in place; returns how many series were removed. */
export function dropBrokenHistograms(families: MetricFamily[]): number {
  let removed = 0;
  for (const family of families) {
    if (family.type !== 'histogram' && family.type !== 'gaugehistogram') continue;
    const bucketName = `${family.name}_bucket`;
    const complete = new Set<string>();
    const broken = new Set<string>();
    for (const s of family.samples) {
      if (s.name !== bucketName) continue;
      const le = s.labels.find(([k]) => k === 'le')?.[1];
      const key = groupKey(s.labels);
      // As Prometheus reads `le`: Go's strconv.ParseFloat (`+Inf`, `Inf`, `1e3`).
      const bound = le === undefined ? NaN : (parseGoFloat(le) ?? NaN);
      if (Number.isNaN(bound)) broken.add(key);
      else if (bound === Infinity) complete.add(key);
    }
    const hasBuckets = new Set<string>();
    for (const s of family.samples) if (s.name === bucketName) hasBuckets.add(groupKey(s.labels));
    for (const key of hasBuckets) if (!complete.has(key)) broken.add(key);
    if (broken.size === 0) continue;
    const before = family.samples.length;
    family.samples = family.samples.filter((s) => !broken.has(groupKey(s.labels)));
    removed += before - family.samples.length;
  }
  return removed;
}
