/**
 * What a cache miss costs: one series, parsed by the string-level line reader, goes through the relabel
 * decision every part of the bridge shares (decideSeries) and is rendered once; the entry remembers the
 * result for every later cycle that sees the same raw series bytes.
 */
import { formatLabels, parseGoFloat } from '../exposition/index.js';
import type { LabelPairs, Sample } from '../exposition/model.js';
import type { CompiledRules } from '../relabel/index.js';
import { decideSeries } from '../relabel/index.js';
import { RenderSpace } from './render-space.js';
import { hashBytes, LE_FINITE, LE_INF, LE_NONE, OutSeries, SeriesEntry, type SampleName, type SeriesCache } from './series-cache.js';

const NAME_LABEL_BYTES = '__name__'.length;

export class NewSeries {
  /** The previous new series' histogram group key and label names: consecutive series mostly share them. */
  private lastGroupKey = '';
  private lastNames: string[] = [];
  private lastLabelSet = -1;
  readonly space = new RenderSpace();

  constructor(
    private readonly rules: CompiledRules,
    private readonly cache: SeriesCache,
  ) {}

  /**
   * An entry for `sample`, whose raw series bytes are key[keyOff, keyOff + keyLen), for the caller to insert;
   * `keyLen` 0: a line whose series cannot be cached, decided for this cycle only.
   */
  entry(sample: Sample, name: SampleName, key: Buffer, keyOff: number, keyLen: number): SeriesEntry {
    const hash = keyLen > 0 ? hashBytes(key, keyOff, keyOff + keyLen) : 0;
    const decision = decideSeries(sample.name, sample.labels, this.rules);
    // A series with an unservable name counts as no rule's drop (the status page counts relabel drops per rule).
    if (!decision.kept) return new SeriesEntry(key, keyOff, keyLen, hash, name, undefined, decision.reason, decision.reason === 'relabel' ? decision.rule : undefined);
    return new SeriesEntry(key, keyOff, keyLen, hash, name, this.output(decision.name, decision.labels, keyLen > 0), undefined, undefined);
  }

  private output(name: string, labels: LabelPairs, held: boolean): OutSeries {
    const render = this.space.write(`${name}${formatLabels(labels)} `);
    // ASCII text (nearly always): lengths in bytes are lengths in characters.
    const bytes = render.ascii ? (s: string) => s.length : (s: string) => Buffer.byteLength(s);
    let longestName = NAME_LABEL_BYTES;
    let longestValue = bytes(name);
    let le = LE_NONE;
    let groupKey = '';
    for (const [k, v] of labels) {
      longestName = Math.max(longestName, bytes(k));
      longestValue = Math.max(longestValue, bytes(v));
      if (k === 'le') {
        // As Prometheus reads `le`: Go's strconv.ParseFloat (`+Inf`, `Inf`, `1e3`); unreadable is broken.
        const bound = parseGoFloat(v);
        le = bound === undefined || Number.isNaN(bound) ? LE_NONE : bound === Infinity ? LE_INF : LE_FINITE;
      } else groupKey += `\u0000${k}\u0000${v}`;
    }
    if (groupKey === this.lastGroupKey) groupKey = this.lastGroupKey;
    else this.lastGroupKey = groupKey;
    const candidate = new OutSeries(render.buffer, render.offset, render.length, render.hash, name, this.labelSet(labels), labels.length + 1, longestName, longestValue, le, groupKey);
    candidate.own = !render.ascii;
    return held ? this.cache.output(candidate) : this.cache.peekOutput(candidate);
  }

  private labelSet(labels: LabelPairs): number {
    const last = this.lastNames;
    let same = last.length === labels.length;
    for (let i = 0; same && i < labels.length; i++) same = last[i] === labels[i]![0];
    if (same && this.lastLabelSet >= 0) return this.lastLabelSet;
    this.lastNames = labels.map(([k]) => k);
    this.lastLabelSet = this.cache.labelSet(this.lastNames);
    return this.lastLabelSet;
  }
}
