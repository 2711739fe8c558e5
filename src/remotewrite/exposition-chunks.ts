/**
 * Reads the served exposition (text 0.0.4 as our renderer writes it: `name{a="b",…} value`, no timestamps,
 * label values escaping only `\\`, `\"` and `\n`) a slice at a time, so that the reader can yield to the
 * event loop between slices. The canonical lines are read by a small direct
 * reader (the general parser does far more per line than this form needs: ~10x slower here); any line it
 * does not recognise is handed to the general parser (parseExposition), so an unusual but valid line is
 * still read, and an invalid one is counted.
 */
import { CH_BACKSLASH, CH_COMMA, CH_HASH, CH_LF, CH_LOWER_N, CH_QUOTE, CH_RBRACE, CH_SPACE, parseExposition, parseGoFloat, parseIntegerTimestamp, type LabelPairs } from '../exposition/index.js';

/** About 80 lines of Baseten's series: the reader takes slices until its time budget for one turn is spent. */
export const SLICE_BYTES = 16 * 1024;

export interface SeriesSample {
  name: string;
  labels: LabelPairs;
  value: number;
  timestampMs?: number;
}

export interface Slice {
  samples: SeriesSample[];
  /** Sample lines that could not be read (never expected from our own renderer; counted, not hidden). */
  invalid: number;
  /** Where the next slice starts; `body.length` after the last. */
  next: number;
}

/** Undoes the three escapes of a label value (`\\`, `\"`, `\n`); undefined for any other (the general parser decides). */
function unescape(raw: string): string | undefined {
  let out = '';
  let from = 0;
  for (let i = raw.indexOf('\\'); i >= 0; i = raw.indexOf('\\', from)) {
    const c = raw.charCodeAt(i + 1);
    const replacement = c === CH_BACKSLASH ? '\\' : c === CH_QUOTE ? '"' : c === CH_LOWER_N ? '\n' : undefined;
    if (replacement === undefined) return undefined;
    out += raw.slice(from, i) + replacement;
    from = i + 2;
  }
  return out + raw.slice(from);
}

/** Reads one canonical sample line, or returns undefined for anything else. */
export function readCanonicalLine(line: string): SeriesSample | undefined {
  const brace = line.indexOf('{');
  const space = line.indexOf(' ');
  if (space <= 0) return undefined;
  const labels: LabelPairs = [];
  let name: string;
  let pos: number;
  if (brace > 0 && brace < space) {
    name = line.slice(0, brace);
    pos = brace + 1;
    while (line.charCodeAt(pos) !== CH_RBRACE) {
      const eq = line.indexOf('="', pos);
      if (eq <= pos) return undefined;
      const labelName = line.slice(pos, eq);
      let end = line.indexOf('"', eq + 2);
      // A quote preceded by an odd number of backslashes is part of the value.
      for (;;) {
        if (end < 0) return undefined;
        let slashes = 0;
        while (line.charCodeAt(end - 1 - slashes) === CH_BACKSLASH) slashes++;
        if (slashes % 2 === 0) break;
        end = line.indexOf('"', end + 1);
      }
      const raw = line.slice(eq + 2, end);
      const value = raw.includes('\\') ? unescape(raw) : raw;
      if (value === undefined) return undefined;
      labels.push([labelName, value]);
      pos = end + 1;
      const next = line.charCodeAt(pos);
      if (next === CH_COMMA) pos++;
      else if (next !== CH_RBRACE) return undefined;
    }
    pos++;
    if (line.charCodeAt(pos) !== CH_SPACE) return undefined;
  } else {
    name = line.slice(0, space);
    pos = space;
  }
  const rest = line.slice(pos + 1);
  const gap = rest.indexOf(' ');
  const value = parseGoFloat(gap < 0 ? rest : rest.slice(0, gap));
  if (value === undefined) return undefined;
  if (gap < 0) return { name, labels, value };
  const timestampMs = parseIntegerTimestamp(rest.slice(gap + 1));
  return timestampMs === undefined ? undefined : { name, labels, value, timestampMs };
}

/** Reads the lines of `body` from `start` up to the first line break after `start + size`. */
export function readSlice(body: Buffer, start: number, size = SLICE_BYTES): Slice {
  let end = start + size >= body.length ? body.length : body.indexOf(CH_LF, start + size);
  end = end < 0 ? body.length : Math.min(body.length, end + 1);
  const text = body.toString('utf8', start, end);
  const samples: SeriesSample[] = [];
  let invalid = 0;
  for (let pos = 0; pos < text.length; ) {
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(pos, lineEnd);
    pos = lineEnd + 1;
    if (line === '' || line.charCodeAt(0) === CH_HASH) continue;
    const sample = readCanonicalLine(line);
    if (sample !== undefined) {
      samples.push(sample);
      continue;
    }
    const parsed = parseExposition(line, 'text');
    const read = parsed.families[0]?.samples[0];
    if (read === undefined) {
      if (parsed.invalidLines.length > 0) invalid++;
    } else samples.push(read);
  }
  return { samples, invalid, next: end };
}

/** Sample lines from `start` on, counted without parsing (to account for a push that is dropped whole). */
export function countSampleLines(body: Buffer, start = 0): number {
  let count = 0;
  for (let pos = start; pos < body.length; ) {
    let end = body.indexOf(CH_LF, pos);
    if (end < 0) end = body.length;
    if (end > pos && body[pos] !== CH_HASH && body.subarray(pos, end).toString('latin1').trim() !== '') count++;
    pos = end + 1;
  }
  return count;
}

export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
