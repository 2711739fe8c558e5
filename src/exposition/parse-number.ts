/**
 * Numbers as the Prometheus parsers read them. JavaScript's Number() is far more lenient than Go
 * (`0x10`, `0b1`, `Infinity`, `''` and surrounding whitespace all pass), so the grammar is checked here
 * first and Number() only converts what Go's strconv.ParseFloat would also accept.
 */

import { CH_0, CH_9, CH_DOT, CH_LOWER_E, CH_MINUS, CH_PLUS, CH_UPPER_E } from './chars.js';

/** Largest int64 + 1 (2^63); text timestamps are Go int64 (strconv.ParseInt(s, 10, 64)). */
const INT64_LIMIT = 9223372036854775808;

function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

/** `inf`/`infinity` with an optional sign, or an unsigned `nan`, any case: strconv's special(). */
function parseSpecial(token: string, signLength: number): number | undefined {
  const word = token.slice(signLength).toLowerCase();
  if (word === 'inf' || word === 'infinity') return token.charCodeAt(0) === CH_MINUS ? -Infinity : Infinity;
  if (word === 'nan' && signLength === 0) return NaN;
  return undefined;
}

/** Index after the digits that start at `i`. */
function skipDigits(token: string, i: number): number {
  while (i < token.length && isDigit(token.charCodeAt(i))) i++;
  return i;
}

/**
 * Reads a sample value like Prometheus's parseFloat (model/textparse/promparse.go): strconv.ParseFloat
 * without hex floats (`p`) or underscores, so only `[+-]?(digits[.digits]|.digits)([eE][+-]?digits)?`,
 * `[+-]?Inf(inity)?` and `NaN`. Returns undefined for anything else, including values that overflow
 * float64 (`1e400`), which Go rejects with ErrRange.
 */
export function parseGoFloat(token: string): number | undefined {
  const n = token.length;
  if (n === 0) return undefined;
  const first = token.charCodeAt(0);
  let i = first === CH_PLUS || first === CH_MINUS ? 1 : 0;
  if (i < n && !isDigit(token.charCodeAt(i)) && token.charCodeAt(i) !== CH_DOT) return parseSpecial(token, i);

  const intEnd = skipDigits(token, i);
  let sawDigits = intEnd > i;
  i = intEnd;
  if (i < n && token.charCodeAt(i) === CH_DOT) {
    const fracEnd = skipDigits(token, i + 1);
    sawDigits ||= fracEnd > i + 1;
    i = fracEnd;
  }
  if (!sawDigits) return undefined;
  if (i < n && (token.charCodeAt(i) === CH_LOWER_E || token.charCodeAt(i) === CH_UPPER_E)) {
    i++;
    if (i < n && (token.charCodeAt(i) === CH_PLUS || token.charCodeAt(i) === CH_MINUS)) i++;
    const expEnd = skipDigits(token, i);
    if (expEnd === i) return undefined;
    i = expEnd;
  }
  if (i !== n) return undefined;
  const value = Number(token);
  return Number.isFinite(value) ? value : undefined;
}

/** True when `token` has the shape of a decimal float but overflows float64. */
export function isOutOfRangeFloat(token: string): boolean {
  const first = token.charCodeAt(0);
  if (!isDigit(first) && first !== CH_PLUS && first !== CH_MINUS && first !== CH_DOT) return false;
  const value = Number(token);
  return !Number.isFinite(value) && !Number.isNaN(value);
}

const INT64_MAX_DIGITS = '9223372036854775807';
/** The largest double below 2^63: where an int64 timestamp above it lands, so it is written back as an int64. */
const LARGEST_DOUBLE_BELOW_INT64_LIMIT = 9223372036854774784;

/**
 * A text 0.0.4 timestamp as Prometheus reads it: digits only (promlex.l `<sTimestamp>{D}+`: no sign, so
 * `-1000` and `+1796157786139` fail the line) that strconv.ParseInt(s, 10, 64) takes, i.e. at most
 * 9223372036854775807. Above 2^53 a double cannot hold every millisecond: the nearest one is kept, and one
 * that would round up to 2^63 (outside int64, so unreadable when written back) is brought below it.
 */
export function parseIntegerTimestamp(token: string): number | undefined {
  const n = token.length;
  if (n === 0 || skipDigits(token, 0) !== n) return undefined;
  let first = 0;
  while (first < n - 1 && token.charCodeAt(first) === CH_0) first++;
  const digits = n - first;
  if (digits > 19 || (digits === 19 && token.slice(first) > INT64_MAX_DIGITS)) return undefined;
  const value = Number(token);
  return value < INT64_LIMIT ? value : LARGEST_DOUBLE_BELOW_INT64_LIMIT;
}

/**
 * An OpenMetrics timestamp: float seconds, finite (model/textparse/openmetricsparse.go), and not before 1970
 * nor past int64 milliseconds, which text 0.0.4 (where it is served) cannot write. Converted to
 * milliseconds by rounding rather than Go's int64(ts*1000) truncation, so that `0.001` (which is
 * 0.000999… in binary) reads back as 1 ms and a rendered timestamp round-trips unchanged.
 */
export function parseSecondsTimestamp(token: string): number | undefined {
  const seconds = parseGoFloat(token);
  if (seconds === undefined || !Number.isFinite(seconds)) return undefined;
  const ms = Math.round(seconds * 1000);
  // Served in text as an unsigned int64 of milliseconds: before 1970 or beyond int64 it could not be read back.
  return ms < 0 || ms >= INT64_LIMIT ? undefined : ms;
}

/*
 * From bytes, for the builder's lines (no string per line). What the bridge copies to its output must be read
 * by Prometheus as the bridge read it, so this is also the grammar of served values and timestamps:
 *   value     = plain decimal | anything else parseGoFloat reads, written again by formatValue
 *   timestamp = decimal digits, within int64 (promlex.l `{D}+`, strconv.ParseInt)
 * A plain decimal (`[+-]?(d+[.d*]|.d+)([eE][+-]?d{1,2})?`, at most 20 integer digits) is copied as written:
 * Go's ParseFloat and JavaScript's Number both round it correctly, so Prometheus stores the same float64 the
 * bridge read (`-0` stays `-0`), and no such token can overflow.
 */

function isByteDigit(c: number | undefined): boolean {
  return c !== undefined && c >= CH_0 && c <= CH_9;
}

/** True when bytes[start, end) is a plain decimal, which is copied to the output as written. */
export function isPlainDecimal(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  if (i < end && (bytes[i] === CH_PLUS || bytes[i] === CH_MINUS)) i++;
  const intStart = i;
  while (i < end && isByteDigit(bytes[i])) i++;
  const intDigits = i - intStart;
  let fracDigits = 0;
  if (i < end && bytes[i] === CH_DOT) {
    i++;
    const fracStart = i;
    while (i < end && isByteDigit(bytes[i])) i++;
    fracDigits = i - fracStart;
  }
  if (intDigits + fracDigits === 0 || intDigits > 20) return false;
  if (i < end && (bytes[i] === CH_LOWER_E || bytes[i] === CH_UPPER_E)) {
    i++;
    if (i < end && (bytes[i] === CH_PLUS || bytes[i] === CH_MINUS)) i++;
    const expStart = i;
    while (i < end && isByteDigit(bytes[i])) i++;
    if (i === expStart || i - expStart > 2) return false;
  }
  return i === end;
}

/**
 * The value of a token that is not a plain decimal (`NaN`, `+Inf`, `1e400`…), or undefined when Prometheus
 * refuses it.
 */
export function readOtherValue(bytes: Buffer, start: number, end: number): number | undefined {
  return parseGoFloat(bytes.toString('latin1', start, end));
}

/**
 * True when bytes[start, end) is a text 0.0.4 timestamp Prometheus reads: decimal digits only (no sign:
 * promlex.l's `{D}+`), within int64 (strconv.ParseInt). Leading zeros are read as written.
 */
export function isTextTimestamp(bytes: Uint8Array, start: number, end: number): boolean {
  if (start >= end) return false;
  let first = start;
  for (let i = start; i < end; i++) if (!isByteDigit(bytes[i])) return false;
  while (first < end - 1 && bytes[first] === CH_0) first++;
  const digits = end - first;
  if (digits < INT64_MAX_DIGITS.length) return true;
  if (digits > INT64_MAX_DIGITS.length) return false;
  for (let i = 0; i < digits; i++) {
    const d = bytes[first + i]!;
    const limit = INT64_MAX_DIGITS.charCodeAt(i);
    if (d !== limit) return d < limit;
  }
  return true;
}
