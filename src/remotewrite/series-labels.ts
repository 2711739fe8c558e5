/**
 * One remote's view of a served series: write_relabel_configs applied, then the label list the remote-write
 * spec asks for: `__name__` included, sorted by name in byte order, no empty values. Made once per series
 * (push-series.ts keeps it), so it caches nothing itself.
 */
import type { LabelPairs } from '../exposition/index.js';
import { decideSeries, type CompiledRules } from '../relabel/index.js';

export type SeriesLabels = { kept: true; labels: string[] } | { kept: false; reason: 'relabel' | 'invalid_name' };

/** Byte order of names. Every name here is a classic ASCII label name (the series come from text 0.0.4, and
 * decideSeries refuses any other), so UTF-16 order is byte order. */
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
  constructor(private readonly rules: CompiledRules) {}

  /** Whether write_relabel_configs can change a series (without them the remote gets the served labels). */
  get rewrites(): boolean {
    return this.rules.rules.length > 0;
  }

  labelsOf(name: string, pairs: LabelPairs): SeriesLabels {
    if (this.rules.rules.length === 0) return { kept: true, labels: flatten(name, pairs) };
    const decision = decideSeries(name, pairs, this.rules);
    if (!decision.kept) return { kept: false, reason: decision.reason === 'relabel' ? 'relabel' : 'invalid_name' };
    return { kept: true, labels: flatten(decision.name, decision.labels) };
  }
}
