/**
 * Series lines as people paste them (into `relabel-test`, or the status page's POST /api/v1/relabel): text
 * format, one sample per line, the value optional (people paste series as Prometheus's UI shows them),
 * HELP/TYPE and blank lines skipped. Each line is read on its own, so its number in a problem is the line of
 * the input, named by `where` (`stdin line 3`, `series line 3`).
 */
import type { LabelPairs } from './model.js';
import { parseExposition } from './parse-exposition.js';

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

export function readPastedSeries(text: string, where: string): { series: SeriesLine[]; problems: string[] } {
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
      // The excerpt shows the line as written, without the value added here.
      const excerpt = invalid ? (padded ? invalid.excerpt.replace(/ 0$/, '') : invalid.excerpt) : line.slice(0, 80);
      problems.push(`${where} ${i + 1}: ${invalid?.reason ?? 'no sample on the line'} (${JSON.stringify(excerpt)})`);
      return;
    }
    const entry: SeriesLine = { line: i + 1, name: sample.name, labels: sample.labels };
    if (!padded) entry.value = sample.value;
    if (sample.timestampMs !== undefined) entry.timestampMs = sample.timestampMs;
    series.push(entry);
  });
  return { series, problems };
}
