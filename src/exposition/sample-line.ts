/**
 * Reads one sample line: `name{labels} value [timestamp]`, and in OpenMetrics an optional
 * ` # {labels} value [timestamp]` exemplar.
 *
 * Whitespace follows the Prometheus lexers. Text 0.0.4 (model/textparse/promlex.l): runs of blanks
 * may separate every token, including inside braces, and may trail the line. OpenMetrics
 * (model/textparse/openmetricslex.l): exactly one space before the value, the timestamp and the
 * exemplar, and none inside braces. In text, the value may follow the name or `}` at once, and commas
 * between labels are optional (promparse.go parseLVals). Label values resolve `\\`, `\"` and `\n` and keep
 * any other escape as written (promparse.go lvalReplacer). A label name may appear once per sample (the
 * TSDB refuses a series with a repeated one, failing Prometheus's whole scrape). Text timestamps are
 * digits only, within int64 (promlex.l `{D}+`, then strconv.ParseInt).
 */
import {
  CH_BACKSLASH,
  CH_COMMA,
  CH_EQUALS,
  CH_LBRACE,
  CH_LOWER_N,
  CH_QUOTE,
  CH_RBRACE,
  CH_SPACE,
  isBlank,
  isLabelNameStart,
  scanLabelName,
  scanMetricName,
  skipBlanks,
} from './chars.js';
import { describeCharAt, quoteFragment } from './invalid-line.js';
import type { Exemplar, LabelPairs, Sample } from './model.js';
import { isOutOfRangeFloat, parseGoFloat, parseIntegerTimestamp, parseSecondsTimestamp } from './parse-number.js';

const EXEMPLAR_START = ' # {';

/** A series as written: its name and its labels in the order of the line. */
export interface Series {
  name: string;
  labels: LabelPairs;
}

/** Reusable reader: one instance per parse, `read` per line. On failure `reason` says why. */
export class SampleLineReader {
  reason = '';
  private text = '';
  private pos = 0;
  private end = 0;
  private om = false;
  // The previous sample's strings. Consecutive lines mostly repeat them (a histogram's buckets, one
  // family's series), so equal text reuses the earlier string instead of allocating a copy, which
  // keeps a 250,000-series parse from holding millions of duplicate small strings.
  private prevName = '';
  private prevLabels: LabelPairs = [];

  /** Reads `text[start, end)` (no line break); `om` selects the OpenMetrics rules. */
  read(text: string, start: number, end: number, om: boolean): Sample | undefined {
    const series = this.readSeriesPart(text, start, end, om);
    if (series === undefined) return undefined;
    // Text needs no blank between the name and the value: promlex.l ends the name at the first character
    // that cannot be in one and reads the rest up to a blank as the value (`x-1` is x with value -1).
    // OpenMetrics takes exactly one space (takeSpace below).
    if (om && !this.takeSpace('value')) return undefined;
    const value = this.readValue('value');
    if (value === undefined) return undefined;
    const sample = om
      ? this.readOpenMetricsTail({ name: series.name, labels: series.labels, value })
      : this.readTextTail({ name: series.name, labels: series.labels, value });
    if (sample !== undefined) this.remember(series);
    return sample;
  }

  /** Reads a series alone, `name{labels}`, as the whole of `text[start, end)` (a sample line's series bytes). */
  readSeries(text: string, start: number, end: number, om: boolean): Series | undefined {
    const series = this.readSeriesPart(text, start, end, om);
    if (series === undefined) return undefined;
    if (this.pos < this.end) return this.fail(`expected end of series, found ${this.found()}`);
    this.remember(series);
    return series;
  }

  /** The name and the label set, and in text the blanks after them. */
  private readSeriesPart(text: string, start: number, end: number, om: boolean): Series | undefined {
    this.text = text;
    this.end = end;
    this.om = om;
    this.reason = '';
    const nameEnd = scanMetricName(text, start, end);
    this.pos = nameEnd;
    if (nameEnd === start) return this.fail(`expected metric name, found ${this.found()}`);
    const name = this.reuse(this.prevName, start, nameEnd);
    let labels: LabelPairs = [];
    this.skipTextBlanks();
    if (this.peek() === CH_LBRACE) {
      this.pos++;
      const read = this.readLabels();
      if (read === undefined) return undefined;
      labels = read;
      this.skipTextBlanks();
    }
    return { name, labels };
  }

  private remember(series: Series): void {
    this.prevName = series.name;
    this.prevLabels = series.labels;
  }

  /** Text: `[blanks timestamp] [blanks]` to the end of the line. */
  private readTextTail(sample: Sample): Sample | undefined {
    this.skipTextBlanks();
    if (this.pos >= this.end) return sample;
    const token = this.readToken();
    const ts = parseIntegerTimestamp(token);
    if (ts === undefined) return this.fail(`expected integer timestamp in milliseconds, found ${quoteFragment(token)}`);
    sample.timestampMs = ts;
    this.skipTextBlanks();
    if (this.pos < this.end) return this.fail(`expected end of line after timestamp, found ${this.found()}`);
    return sample;
  }

  /** OpenMetrics: `[ timestamp][ # {labels} value[ timestamp]]` to the end of the line. */
  private readOpenMetricsTail(sample: Sample): Sample | undefined {
    if (this.pos >= this.end) return sample;
    if (!this.text.startsWith(EXEMPLAR_START, this.pos)) {
      if (!this.takeSpace('timestamp')) return undefined;
      const ts = this.readSecondsTimestamp();
      if (ts === undefined) return undefined;
      sample.timestampMs = ts;
      if (this.pos >= this.end) return sample;
      if (!this.text.startsWith(EXEMPLAR_START, this.pos)) {
        return this.fail(`expected end of line or exemplar after timestamp, found ${this.found()}`);
      }
    }
    this.pos += EXEMPLAR_START.length;
    const labels = this.readLabels([]);
    if (labels === undefined || !this.takeSpace('exemplar value')) return undefined;
    const value = this.readValue('exemplar value');
    if (value === undefined) return undefined;
    const exemplar: Exemplar = { labels, value };
    if (this.pos < this.end) {
      if (!this.takeSpace('exemplar timestamp')) return undefined;
      const ts = this.readSecondsTimestamp();
      if (ts === undefined) return undefined;
      exemplar.timestampMs = ts;
      if (this.pos < this.end) return this.fail(`expected end of line after exemplar, found ${this.found()}`);
    }
    sample.exemplar = exemplar;
    return sample;
  }

  /** Label pairs up to and including `}`; `this.pos` is just after `{`. A trailing comma is allowed. */
  private readLabels(previous: LabelPairs = this.prevLabels): LabelPairs | undefined {
    const labels: LabelPairs = [];
    const text = this.text;
    for (;;) {
      this.skipTextBlanks();
      if (this.peek() === CH_RBRACE) {
        this.pos++;
        return labels;
      }
      const nameEnd = scanLabelName(text, this.pos, this.end);
      if (nameEnd === this.pos) return this.fail(`expected label name, found ${this.found()}`);
      const candidate = previous[labels.length];
      const name = this.reuse(candidate?.[0], this.pos, nameEnd);
      this.pos = nameEnd;
      this.skipTextBlanks();
      if (this.peek() !== CH_EQUALS) return this.fail(`expected \`=\` after label name, found ${this.found()}`);
      this.pos++;
      this.skipTextBlanks();
      if (this.peek() !== CH_QUOTE) return this.fail(`expected label value, found ${this.found()}`);
      const value = this.readQuoted(candidate?.[1]);
      if (value === undefined) return undefined;
      if (name === '__name__') return this.fail('label name `__name__` is reserved');
      for (let i = 0; i < labels.length; i++) {
        if (labels[i]?.[0] === name) return this.fail(`duplicate label name ${quoteFragment(name)}`);
      }
      labels.push([name, value]);
      this.skipTextBlanks();
      const c = this.peek();
      if (c === CH_COMMA) this.pos++;
      // promparse.go parseLVals takes a comma after a value when there is one: `{a="1" b="2"}` is read.
      else if (c !== CH_RBRACE && (this.om || !isLabelNameStart(c))) {
        return this.fail(`expected \`,\` or \`}\` after label value, found ${this.found()}`);
      }
    }
  }

  /** A `"…"` label value with its escapes resolved; `this.pos` is at the opening quote. */
  private readQuoted(candidate: string | undefined): string | undefined {
    const text = this.text;
    let out = '';
    let chunk = this.pos + 1;
    for (let i = chunk; i < this.end; i++) {
      const c = text.charCodeAt(i);
      if (c === CH_QUOTE) {
        this.pos = i + 1;
        return out === '' ? this.reuse(candidate, chunk, i) : out + text.slice(chunk, i);
      }
      if (c !== CH_BACKSLASH) continue;
      const next = i + 1 < this.end ? text.charCodeAt(i + 1) : -1;
      if (next === -1) break;
      if (next !== CH_BACKSLASH && next !== CH_QUOTE && next !== CH_LOWER_N) {
        // promlex.l takes `\.` (any escape) in a label value and promparse.go's lvalReplacer resolves only
        // these three: `\t` or `\u00e9` is kept as written, backslash included.
        i++;
        continue;
      }
      out += text.slice(chunk, i) + (next === CH_LOWER_N ? '\n' : String.fromCharCode(next));
      i++;
      chunk = i + 1;
    }
    this.pos = this.end;
    return this.fail('expected `"` to end label value, found end of line');
  }

  private readValue(what: string): number | undefined {
    if (this.pos >= this.end) return this.fail(`expected ${what}, found end of line`);
    const token = this.readToken();
    if (token === '') return this.fail(`expected ${what}, found ${this.found()}`);
    const value = parseGoFloat(token);
    if (value !== undefined) return value;
    if (isOutOfRangeFloat(token)) return this.fail(`${what} ${quoteFragment(token)} is out of range`);
    return this.fail(`expected a number as ${what}, found ${quoteFragment(token)}`);
  }

  private readSecondsTimestamp(): number | undefined {
    const token = this.readToken();
    if (token === '') return this.fail(`expected timestamp, found ${this.found()}`);
    const ts = parseSecondsTimestamp(token);
    if (ts === undefined) return this.fail(`expected timestamp in seconds, found ${quoteFragment(token)}`);
    return ts;
  }

  /** The token from `this.pos` to the next separator (blank in text, space in OpenMetrics). */
  private readToken(): string {
    const start = this.pos;
    let i = start;
    if (this.om) while (i < this.end && this.text.charCodeAt(i) !== CH_SPACE) i++;
    else while (i < this.end && !isBlank(this.text.charCodeAt(i))) i++;
    this.pos = i;
    return this.text.slice(start, i);
  }

  /** OpenMetrics separator: exactly one space before `what`. */
  private takeSpace(what: string): boolean {
    if (this.peek() === CH_SPACE) {
      this.pos++;
      return true;
    }
    this.fail(
      this.pos >= this.end
        ? `expected ${what}, found end of line`
        : `expected \` \` before ${what}, found ${this.found()}`,
    );
    return false;
  }

  private skipTextBlanks(): void {
    if (!this.om) this.pos = skipBlanks(this.text, this.pos, this.end);
  }

  /** `text[start, end)`, as `candidate` itself when that is the same text. */
  private reuse(candidate: string | undefined, start: number, end: number): string {
    const text = this.text;
    if (candidate !== undefined && candidate.length === end - start) {
      // A loop: cheaper than startsWith(candidate, start) for these short strings.
      let i = 0;
      while (i < candidate.length && candidate.charCodeAt(i) === text.charCodeAt(start + i)) i++;
      if (i === candidate.length) return candidate;
    }
    return text.slice(start, end);
  }

  private peek(): number {
    return this.pos < this.end ? this.text.charCodeAt(this.pos) : -1;
  }

  private found(): string {
    return describeCharAt(this.text, this.pos, this.end);
  }

  private fail(reason: string): undefined {
    this.reason = reason;
    return undefined;
  }
}
