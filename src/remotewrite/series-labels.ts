/**
 * One remote's view of a served series: write_relabel_configs applied (results cached per series, as for
 * metric_relabel_configs), then the label list the remote-write spec asks for: `__name__` included,
 * sorted by name in byte order, no empty values.
 */
import type { LabelPairs } from '../exposition/index.js';
import type { CompiledRules } from '../relabel/index.js';
import { SeriesRelabelCache } from '../relabel/index.js';

export type SeriesLabels = { kept: true; labels: string[] } | { kept: false; reason: 'relabel' | 'invalid_name' };

/** Byte order of names. Every name here is a classic ASCII label name (the series come from text 0.0.4, and
 * the relabel cache refuses any other), so UTF-16 order is byte order. */
function byName(a: [string, string], b: [string, string]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function flatten(name: string, pairs: LabelPairs): string[] {
  const all: Array<[string, string]> = [['__name__', name]];
  for (const pair of pairs) if (pair[1] !== '') all.push(pair);
  all.sort(byName);
  const flat: string[] = new Array<string>(all.length * 2);
  for (let i = 0; i < all.length; i++) {
    flat[2 * i] = all[i]![0];
    flat[2 * i + 1] = all[i]![1];
  }
  return flat;
}

export class SeriesLabeler {
  /** Only with rules: without them a series is its own result, and caching it would only cost memory. */
  private readonly cache: SeriesRelabelCache | undefined;

  constructor(rules: CompiledRules) {
    this.cache = rules.rules.length > 0 ? new SeriesRelabelCache(rules) : undefined;
  }

  /** Call once per push: the cache keeps what the last push saw and forgets older series. */
  beginPush(): void {
    this.cache?.beginCycle();
  }

  labelsOf(name: string, pairs: LabelPairs): SeriesLabels {
    if (this.cache === undefined) return { kept: true, labels: flatten(name, pairs) };
    const outcome = this.cache.apply(name, pairs);
    if (!outcome.kept) return { kept: false, reason: outcome.reason };
    return { kept: true, labels: flatten(outcome.name, outcome.labels) };
  }
}
