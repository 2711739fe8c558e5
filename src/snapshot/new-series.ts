/**
 * What a cache miss costs: one series, parsed by the string-level line reader, goes through the relabel
 * decision every part of the bridge shares (decideSeries) and is rendered once; the entry remembers the
 * result for every later cycle that sees the same raw series bytes.
 */
import { formatLabels, parseGoFloat } from '../exposition/index.js';
import type { LabelPairs, Sample } from '../exposition/model.js';
import type { CompiledRules } from '../relabel/index.js';
import { decideSeries } from '../relabel/series-cache.js';
import { hashBytes, LE_FINITE, LE_INF, LE_NONE, OutSeries, SeriesEntry, type SeriesCache } from './series-cache.js';

const NAME_LABEL_BYTES = '__name__'.length;

export class NewSeries {
  /** The previous new series' histogram group key: consecutive buckets share one string. */
  private lastGroupKey = '';

  constructor(
    private readonly rules: CompiledRules,
    private readonly cache: SeriesCache,
  ) {}

  /**
   * An entry for `sample`, whose raw series bytes are key[keyOff, keyOff + keyLen), for the caller to insert;
   * `keyLen` 0: a line whose series cannot be cached, decided for this cycle only.
   */
  entry(sample: Sample, key: Buffer, keyOff: number, keyLen: number): SeriesEntry {
    const hash = keyLen > 0 ? hashBytes(key, keyOff, keyOff + keyLen) : 0;
    const decision = decideSeries(sample.name, sample.labels, this.rules);
    if (!decision.kept) return new SeriesEntry(key, keyOff, keyLen, hash, sample.name, undefined, decision.reason, decision.rule);
    return new SeriesEntry(key, keyOff, keyLen, hash, sample.name, this.output(decision.name, decision.labels, keyLen > 0), undefined, undefined);
  }

  private output(name: string, labels: LabelPairs, held: boolean): OutSeries {
    const render = Buffer.from(`${name}${formatLabels(labels)} `, 'utf8');
    let longestName = NAME_LABEL_BYTES;
    let longestValue = Buffer.byteLength(name);
    let le = LE_NONE;
    let groupKey = '';
    const names: string[] = [];
    for (const [k, v] of labels) {
      names.push(k);
      longestName = Math.max(longestName, Buffer.byteLength(k));
      longestValue = Math.max(longestValue, Buffer.byteLength(v));
      if (k === 'le') {
        // As Prometheus reads `le`: Go's strconv.ParseFloat (`+Inf`, `Inf`, `1e3`); unreadable is broken.
        const bound = parseGoFloat(v);
        le = bound === undefined || Number.isNaN(bound) ? LE_NONE : bound === Infinity ? LE_INF : LE_FINITE;
      } else groupKey += `\u0000${k}\u0000${v}`;
    }
    if (groupKey === this.lastGroupKey) groupKey = this.lastGroupKey;
    else this.lastGroupKey = groupKey;
    const candidate = new OutSeries(render, hashBytes(render, 0, render.length), name, this.cache.labelSet(names), labels.length + 1, longestName, longestValue, le, groupKey);
    candidate.own = true;
    return held ? this.cache.output(candidate) : this.cache.peekOutput(candidate);
  }
}
