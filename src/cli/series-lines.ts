/**
 * Series lines as people paste them into `relabel-test`: text format, one sample per line, the value optional
 * (as the status page's POST /api/v1/relabel takes them, server/relabel-input.ts), HELP/TYPE and blank lines
 * skipped. Each line is read on its own, so its number in problems is the line of stdin.
 */
import { parseExposition, type LabelPairs } from '../exposition/index.js';

export interface SeriesLine {
  /** 1-based line of the input. */
  line: number;
  name: string;
  labels: LabelPairs;
  /** Absent when the line had no value. */
  value?: number;
  timestampMs?: number;
}

/** A line without a value: it ends after its label set, or is a bare metric name. */
const NO_VALUE = /(?:\}|^[a-zA-Z_:][a-zA-Z0-9_:]*)$/;

export function readSeriesLines(text: string): { series: SeriesLine[]; problems: string[] } {
  const series: SeriesLine[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const padded = NO_VALUE.test(line);
    const parsed = parseExposition(padded ? `${line} 0` : line, 'text');
    const sample = parsed.families[0]?.samples[0];
    const invalid = parsed.invalidLines[0];
    if (invalid || !sample) {
      const excerpt = invalid ? (padded ? invalid.excerpt.replace(/ 0$/, '') : invalid.excerpt) : line.slice(0, 80);
      problems.push(`stdin line ${i + 1}: ${invalid?.reason ?? 'no sample on the line'} (${JSON.stringify(excerpt)})`);
      return;
    }
    const entry: SeriesLine = { line: i + 1, name: sample.name, labels: sample.labels };
    if (!padded) entry.value = sample.value;
    if (sample.timestampMs !== undefined) entry.timestampMs = sample.timestampMs;
    series.push(entry);
  });
  return { series, problems };
}
