/**
 * The one reader of an exposition body: a cursor over the body's bytes that finds each line and, for a sample
 * line, where its series, value and timestamp are, without making a string per line. It checks only the
 * shape (where the parts are); what the parts mean is read elsewhere: the series by the cache or, for a series
 * not seen before, by the string-level line reader (sample-line.ts); the value and timestamp by
 * parse-number.ts. A line whose shape it cannot split (`tail` false) goes to the string-level reader whole,
 * which either reads it or says why it is invalid.
 *
 * Line ends are LF, with an optional CR before it. Text 0.0.4 allows blanks before a sample and between its
 * tokens (promlex.l `<*>[ \t]+`); OpenMetrics allows exactly one space (openmetricslex.l).
 */
import {
  CH_BACKSLASH,
  CH_CR,
  CH_HASH,
  CH_LBRACE,
  CH_LF,
  CH_QUOTE,
  CH_RBRACE,
  CH_SPACE,
  CH_TAB,
  isBlank,
  isMetricNameChar,
} from './chars.js';
import type { ExpositionFormat } from './model.js';

export const LINE_BLANK = 0;
export const LINE_COMMENT = 1;
export const LINE_SAMPLE = 2;
export type LineKind = typeof LINE_BLANK | typeof LINE_COMMENT | typeof LINE_SAMPLE;

export class LineScanner {
  /** The current line: [start, end) without its line break; `first` is its first non-blank byte (text). */
  start = 0;
  end = 0;
  first = 0;
  /** 1-based number of the current line. */
  lineNumber = 0;
  /** A sample's series bytes [first, seriesEnd); -1 when the line has no series shape the scanner can split. */
  seriesEnd = -1;
  /** The value token [valueStart, valueEnd) and the timestamp token [tsStart, tsEnd) (tsStart -1: none). */
  valueStart = 0;
  valueEnd = 0;
  tsStart = -1;
  tsEnd = -1;
  /** False when the part after the series is not `value[ timestamp]` (an exemplar, extra tokens, nothing). */
  tail = false;
  /** Reads OpenMetrics rather than text 0.0.4. */
  readonly om: boolean;
  private pos = 0;

  constructor(
    private readonly body: Buffer,
    format: ExpositionFormat = 'text',
  ) {
    this.om = format === 'openmetrics';
  }

  /** Moves to the next line; returns its kind, or -1 at the end of the body. */
  next(): LineKind | -1 {
    const body = this.body;
    if (this.pos >= body.length) return -1;
    const start = this.pos;
    let lineEnd = body.indexOf(CH_LF, start);
    if (lineEnd < 0) lineEnd = body.length;
    this.pos = lineEnd + 1;
    this.lineNumber++;
    const end = lineEnd > start && body[lineEnd - 1] === CH_CR ? lineEnd - 1 : lineEnd;
    this.start = start;
    this.end = end;
    let first = start;
    while (first < end && isBlank(body[first]!)) first++;
    if (first === end) return LINE_BLANK;
    // OpenMetrics allows no leading blanks: the line starts where it starts, and the reader says why not.
    this.first = this.om ? start : first;
    if (body[this.first] === CH_HASH) return LINE_COMMENT;
    this.split();
    return LINE_SAMPLE;
  }

  /**
   * Text 0.0.4 only: when the next line is a sample whose series bytes are `key[keyOff, keyOff + keyLen)`,
   * moves to it and returns true, having read only the bytes after the series; otherwise moves nothing.
   * The split is the one next() would make: a series without labels must not be followed by `{`, and nothing
   * after the series may hold a `}` (next() would take the last one on the line as the end of the labels).
   */
  nextWithSeries(key: Buffer, keyOff: number, keyLen: number): boolean {
    const body = this.body;
    const start = this.pos;
    const braced = key[keyOff + keyLen - 1] === CH_RBRACE;
    let i = start + keyLen;
    if (this.om || i >= body.length || !isBlank(body[i]!)) return false;
    if (body.compare(key, keyOff, keyOff + keyLen, start, i) !== 0) return false;
    while (i < body.length && isBlank(body[i]!)) i++;
    const valueStart = i;
    let c = body[i];
    if (!braced && c === CH_LBRACE) return false;
    while (i < body.length && c !== CH_LF && c !== CH_SPACE && c !== CH_TAB && c !== CH_CR && c !== CH_RBRACE)
      c = body[++i];
    const valueEnd = i;
    if (valueEnd === valueStart) return false;
    while (c === CH_SPACE || c === CH_TAB) c = body[++i];
    let tsStart = -1;
    let tsEnd = -1;
    if (i < body.length && c !== CH_LF && c !== CH_CR) {
      tsStart = i;
      while (i < body.length && c !== CH_LF && c !== CH_SPACE && c !== CH_TAB && c !== CH_CR && c !== CH_RBRACE)
        c = body[++i];
      tsEnd = i;
      while (c === CH_SPACE || c === CH_TAB) c = body[++i];
    }
    const end = i;
    if (c === CH_CR && (i + 1 === body.length || body[i + 1] === CH_LF)) i++;
    else if (i < body.length && body[i] !== CH_LF) return false;
    if (i < body.length) i++;
    this.pos = i;
    this.lineNumber++;
    this.start = start;
    this.first = start;
    this.end = end;
    this.seriesEnd = start + keyLen;
    this.valueStart = valueStart;
    this.valueEnd = valueEnd;
    this.tsStart = tsStart;
    this.tsEnd = tsEnd;
    this.tail = true;
    return true;
  }

  /** Finds the series end, the value and the timestamp of the current sample line. */
  private split(): void {
    const body = this.body;
    const end = this.end;
    this.seriesEnd = -1;
    this.tail = false;
    this.tsStart = -1;
    this.tsEnd = -1;
    let i = this.first;
    while (i < end && isMetricNameChar(body[i]!)) i++;
    if (i === this.first) return;
    let seriesEnd = i;
    let j = i;
    if (!this.om) while (j < end && isBlank(body[j]!)) j++;
    if (j < end && body[j] === CH_LBRACE) {
      seriesEnd = this.om ? closingBrace(body, j + 1, end) : body.lastIndexOf(CH_RBRACE, end - 1) + 1;
      // Text: the value and timestamp after a label set hold no `}`, so the last one on the line closes it.
      if (seriesEnd <= j) return;
    }
    this.seriesEnd = seriesEnd;
    this.splitTail(seriesEnd);
  }

  /** `value[ timestamp]` after the series: blanks between the tokens (text) or exactly one space (OpenMetrics). */
  private splitTail(from: number): void {
    const body = this.body;
    const end = this.end;
    let i = from;
    if (this.om) {
      if (body[i] !== CH_SPACE) return;
      i++;
    } else while (i < end && isBlank(body[i]!)) i++;
    const valueStart = i;
    while (i < end && !isBlank(body[i]!)) i++;
    if (i === valueStart) return;
    this.valueStart = valueStart;
    this.valueEnd = i;
    if (this.om) {
      if (i === end) this.tail = true;
      else if (body[i] === CH_SPACE && i + 1 < end && body[i + 1] !== CH_HASH) {
        const tsStart = i + 1;
        let k = tsStart;
        while (k < end && body[k] !== CH_SPACE) k++;
        if (k === end) this.setTimestamp(tsStart, k);
      }
      return;
    }
    while (i < end && isBlank(body[i]!)) i++;
    if (i === end) {
      this.tail = true;
      return;
    }
    const tsStart = i;
    while (i < end && !isBlank(body[i]!)) i++;
    const tsEnd = i;
    while (i < end && isBlank(body[i]!)) i++;
    if (i === end) this.setTimestamp(tsStart, tsEnd);
  }

  private setTimestamp(start: number, end: number): void {
    this.tsStart = start;
    this.tsEnd = end;
    this.tail = true;
  }
}

/** OpenMetrics: the end (exclusive) of a label set whose `{` is before `pos`, reading quoted values; -1 if open. */
function closingBrace(body: Buffer, pos: number, end: number): number {
  for (let i = pos; i < end; i++) {
    const c = body[i];
    if (c === CH_RBRACE) return i + 1;
    if (c !== CH_QUOTE) continue;
    for (i++; i < end && body[i] !== CH_QUOTE; i++) if (body[i] === CH_BACKSLASH) i++;
  }
  return -1;
}
