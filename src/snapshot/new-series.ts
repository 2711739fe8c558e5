/**
 * What a cache miss costs: one series, parsed by the string-level line reader, goes through the relabel
 * decision every part of the bridge shares (decideSeries) and is rendered once; the entry remembers the
 * result for every later cycle that sees the same raw series bytes.
 */
import { parseGoFloat } from '../exposition/index.js';
import type { LabelPairs, Sample } from '../exposition/index.js';
import type { CompiledRules } from '../relabel/index.js';
import { decideSeries } from '../relabel/index.js';
import { RenderSpace } from './render-space.js';
import {
  hashBytes,
  LE_FINITE,
  LE_INF,
  LE_NONE,
  OutSeries,
  SeriesEntry,
  type Decision,
  type SampleName,
  type SeriesCache,
} from './series-cache.js';

const NAME_LABEL_BYTES = '__name__'.length;

export class NewSeries {
  /** The previous new series' histogram group key and label names: consecutive series mostly share them. */
  private lastGroupKey = '';
  private lastGroupLabels: LabelPairs = [];
  private lastNames: string[] = [];
  private lastLabelSet = -1;
  readonly space = new RenderSpace();

  constructor(
    private readonly rules: CompiledRules,
    private readonly cache: SeriesCache,
  ) {}

  /**
   * An entry for `sample`, whose raw series bytes are key[keyOff, keyOff + keyLen), for the caller to insert;
   * `keyLen` 0: a line whose series cannot be cached, decided for this cycle only. `labels`: the sample's, or
   * (an engine series) with its deployment's identity attached.
   */
  entry(
    sample: Sample,
    name: SampleName,
    key: Buffer,
    keyOff: number,
    keyLen: number,
    keyHash?: number,
    labels: LabelPairs = sample.labels,
  ): SeriesEntry {
    const hash = keyLen === 0 ? 0 : (keyHash ?? hashBytes(key, keyOff, keyOff + keyLen));
    return new SeriesEntry(key, keyOff, keyLen, hash, name, this.decide(sample.name, labels, keyLen > 0));
  }

  /** What the one decision (decideSeries) makes of a series: its rendered output, or why it is dropped. */
  decide(name: string, labels: LabelPairs, held: boolean): Decision {
    const decision = decideSeries(name, labels, this.rules);
    // A series with an unservable name counts as no rule's drop (the status page counts relabel drops per rule).
    if (!decision.kept)
      return { out: undefined, drop: decision.reason, rule: decision.reason === 'relabel' ? decision.rule : undefined };
    return { out: this.output(decision.name, decision.labels, held), drop: undefined, rule: undefined };
  }

  private output(name: string, labels: LabelPairs, held: boolean): OutSeries {
    const render = this.space.writeSeries(name, labels);
    const ascii = render.ascii;
    let longestName = NAME_LABEL_BYTES;
    let longestValue = ascii ? name.length : Buffer.byteLength(name);
    let le = LE_NONE;
    for (let i = 0; i < labels.length; i++) {
      const k = labels[i]![0];
      const v = labels[i]![1];
      // ASCII text (nearly always): lengths in bytes are lengths in characters.
      longestName = Math.max(longestName, ascii ? k.length : Buffer.byteLength(k));
      longestValue = Math.max(longestValue, ascii ? v.length : Buffer.byteLength(v));
      if (k === 'le') {
        // As Prometheus reads `le`: Go's strconv.ParseFloat (`+Inf`, `Inf`, `1e3`); unreadable is broken.
        const bound = parseGoFloat(v);
        le = bound === undefined || Number.isNaN(bound) ? LE_NONE : bound === Infinity ? LE_INF : LE_FINITE;
      }
    }
    const candidate = new OutSeries(
      render.buffer,
      render.offset,
      render.length,
      render.hash,
      name,
      this.labelSet(labels),
      labels.length + 1,
      longestName,
      longestValue,
      le,
      this.groupKey(labels),
    );
    candidate.own = !ascii;
    return held ? this.cache.output(candidate) : this.cache.peekOutput(candidate);
  }

  /**
   * The labels without `le`, which name a histogram group. Consecutive series mostly differ only in `le` (a
   * histogram's buckets) and the line reader hands out the same string objects for the same text, so the
   * previous key is reused when the other labels are the very same strings.
   */
  private groupKey(labels: LabelPairs): string {
    const last = this.lastGroupLabels;
    let same = true;
    let j = 0;
    for (let i = 0; same && i < labels.length; i++) {
      const pair = labels[i]!;
      if (pair[0] === 'le') continue;
      const other = last[j++];
      same = other !== undefined && other[0] === pair[0] && other[1] === pair[1];
    }
    if (same && j === last.length) return this.lastGroupKey;
    let key = '';
    const kept: LabelPairs = [];
    for (let i = 0; i < labels.length; i++) {
      const pair = labels[i]!;
      if (pair[0] === 'le') continue;
      key += `\u0000${pair[0]}\u0000${pair[1]}`;
      kept.push(pair);
    }
    this.lastGroupLabels = kept;
    this.lastGroupKey = key;
    return key;
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
