/**
 * Sample values and timestamps read from the body's bytes, and the grammar of what the bridge writes back.
 *
 * The output grammar (the only bytes that reach a served sample line after its series):
 *   value     = plain decimal | `NaN` | `+Inf` | `-Inf` | formatValue's output
 *   timestamp = decimal digits, below 2^63 (what promlex.l `{D}+` and strconv.ParseInt read)
 * A plain decimal (`[+-]?(d+[.d*]|.d+)([eE][+-]?d{1,2})?`, at most 20 integer digits) is copied as written:
 * Go's ParseFloat and JavaScript's Number both round it correctly, so Prometheus stores the same float64 the
 * bridge read (`-0` stays `-0`), and no such token can overflow. Any other value is parsed (parse-number.ts)
 * and written by formatValue; one that does not parse makes the line invalid.
 */
import { parseGoFloat } from './parse-number.js';

const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/** Digits of the largest int64, 9223372036854775807: a timestamp of 19 digits is compared with it. */
const INT64_MAX_DIGITS = '9223372036854775807';

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= ZERO && c <= NINE;
}

/** True when bytes[start, end) is a plain decimal, which is copied to the output as written. */
export function isPlainDecimal(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  if (i < end && (bytes[i] === PLUS || bytes[i] === MINUS)) i++;
  const intStart = i;
  while (i < end && isDigit(bytes[i])) i++;
  const intDigits = i - intStart;
  let fracDigits = 0;
  if (i < end && bytes[i] === DOT) {
    i++;
    const fracStart = i;
    while (i < end && isDigit(bytes[i])) i++;
    fracDigits = i - fracStart;
  }
  if (intDigits + fracDigits === 0 || intDigits > 20) return false;
  if (i < end && (bytes[i] === LOWER_E || bytes[i] === UPPER_E)) {
    i++;
    if (i < end && (bytes[i] === PLUS || bytes[i] === MINUS)) i++;
    const expStart = i;
    while (i < end && isDigit(bytes[i])) i++;
    if (i === expStart || i - expStart > 2) return false;
  }
  return i === end;
}

/** The value of a token that is not a plain decimal (`NaN`, `+Inf`, `1e400`…), or undefined when Prometheus refuses it. */
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
  for (let i = start; i < end; i++) if (!isDigit(bytes[i])) return false;
  while (first < end - 1 && bytes[first] === ZERO) first++;
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
