/**
 * Series lines as people paste them (into `relabel-test`, or the status page's POST /api/v1/relabel): text
 * format, one sample per line, the value optional (people paste series as Prometheus's UI shows them),
 * HELP/TYPE and blank lines skipped. Each line is read on its own, so its number in a problem is the line of
 * the input, named by `where` (`stdin line 3`, `series line 3`).
 */
import { excerptOf } from './invalid-line.js';
import type { LabelPairs } from './model.js';
import { SampleLineReader } from './sample-line.js';

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
  const reader = new SampleLineReader();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const padded = NO_VALUE.test(line);
    const read = padded ? `${line} 0` : line;
    const sample = reader.read(read, 0, read.length, false);
    if (!sample) {
      // The excerpt shows the line as written, without the value added here.
      const excerpt = padded ? excerptOf(read).replace(/ 0$/, '') : excerptOf(line);
      problems.push(`${where} ${i + 1}: ${reader.reason} (${JSON.stringify(excerpt)})`);
      return;
    }
    const entry: SeriesLine = { line: i + 1, name: sample.name, labels: sample.labels };
    if (!padded) entry.value = sample.value;
    if (sample.timestampMs !== undefined) entry.timestampMs = sample.timestampMs;
    series.push(entry);
  });
  return { series, problems };
}
