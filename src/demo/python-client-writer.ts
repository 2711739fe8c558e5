/**
 * Families written as prometheus_client's `generate_latest` writes them (exposition.py), the shape vLLM and
 * SGLang serve and Baseten relays (ENGINES.md): a counter's HELP, TYPE and samples under `<name>_total`; a
 * histogram's buckets, then `_count`, then `_sum`, per series; the `_created` samples of a counter or histogram
 * in a gauge family of their own right after it, with the same HELP; every value through floatToGoString.
 */
import type { BucketSet } from './buckets.js';
import type { EngineFamily } from './engine-families.js';
import type { SortedLabels } from './engine-labels.js';
import type { ExpositionWriter } from './exposition-writer.js';
import { formatPythonFloat } from './python-float.js';

export interface PythonSample {
  labels: string;
  value: number;
}

/** A counter's or histogram's series also carries when it was created, in seconds since the epoch. */
export interface PythonCounterSample extends PythonSample {
  created: number;
}

export interface PythonHistogram {
  labels: SortedLabels;
  set: BucketSet;
  /** Cumulative counts, one per finite bound; `+Inf` is `count`. */
  buckets: readonly number[];
  count: number;
  sum: number;
  created: number;
}

export function writeGauge(writer: ExpositionWriter, family: EngineFamily, samples: readonly PythonSample[]): void {
  writer.family(family);
  for (const { labels, value } of samples) writer.sample(labels, value, '', formatPythonFloat);
}

function writeCreated(
  writer: ExpositionWriter,
  family: EngineFamily,
  samples: ReadonlyArray<{ labels: string; created: number }>,
): void {
  writer.family({ name: `${family.name}_created`, type: 'gauge', help: family.help });
  for (const { labels, created } of samples) writer.sample(labels, created, '', formatPythonFloat);
}

export function writeCounter(
  writer: ExpositionWriter,
  family: EngineFamily,
  samples: readonly PythonCounterSample[],
): void {
  writer.family({ ...family, name: `${family.name}_total` });
  for (const { labels, value } of samples) writer.sample(labels, value, '', formatPythonFloat);
  writeCreated(writer, family, samples);
}

export function writeHistogram(
  writer: ExpositionWriter,
  family: EngineFamily,
  series: readonly PythonHistogram[],
): void {
  writer.family(family);
  for (const { labels, set, buckets, count, sum } of series) {
    set.le.forEach((le, i) =>
      writer.sample(labels.withLe(le), i < buckets.length ? (buckets[i] ?? 0) : count, '_bucket', formatPythonFloat),
    );
    writer.sample(labels.text, count, '_count', formatPythonFloat);
    writer.sample(labels.text, sum, '_sum', formatPythonFloat);
  }
  writeCreated(
    writer,
    family,
    series.map(({ labels, created }) => ({ labels: labels.text, created })),
  );
}
