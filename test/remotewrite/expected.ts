/** What a receiver should hold after a push: every sample of an exposition as labels (with __name__) → value. */
import { parseExposition } from '../helpers/parse-exposition.js';
import type { StoredSample } from './receivers.js';

/** One key per label set: names sorted, values JSON-quoted so that escapes cannot collide. */
export function seriesKey(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(labels[name])}`)
    .join(',');
}

export function expectedSamples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const family of parseExposition(text, 'text').families) {
    for (const sample of family.samples) {
      const labels: Record<string, string> = { __name__: sample.name };
      for (const [name, value] of sample.labels) if (value !== '') labels[name] = value;
      out.set(seriesKey(labels), sample.value);
    }
  }
  return out;
}

/** The stored samples at one timestamp, keyed like expectedSamples. */
export function storedAt(samples: StoredSample[], timestampMs: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples) if (s.timestampMs === timestampMs) out.set(seriesKey(s.labels), s.value);
  return out;
}
