/**
 * Numbers written the way Prometheus's Go writers write them, so the bridge's output reads like the
 * exporters it stands in for and diffs cleanly against them.
 */

/**
 * A sample value as expfmt/text_create.go writeFloat prints it: `NaN`, `+Inf`, `-Inf`, and otherwise
 * strconv.FormatFloat(v, 'g', -1, 64): the shortest digits that read back as `v`, in exponent form when
 * the decimal exponent is < -4 or >= 6 (Go's ftoa.go fixes the threshold at 6 for shortest output,
 * unlike the 21 of JavaScript's Number#toString), with at least two exponent digits.
 * So 1e6 is `1e+06`, 123456789 is `1.23456789e+08`, 0.0001 is `0.0001`, 1.5e-7 is `1.5e-07`.
 * Negative zero is `-0`: Prometheus stores the sign bit it reads (`-0` from upstream is `-0` in its TSDB),
 * so the bridge writes it back rather than writeFloat's `0`.
 */
export function formatValue(v: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const abs = Math.abs(v);
  // In [1e-4, 1e6) both languages print the shortest digits without an exponent. Shortest digits are
  // monotonic in the value, so comparing the double decides Go's exponent test exactly.
  if (abs >= 1e-4 && abs < 1e6) return String(v);
  return goExponent(v.toExponential());
}

/** JavaScript's `1.5e-7` / `1e+6` becomes Go's `1.5e-07` / `1e+06`. */
function goExponent(jsExponential: string): string {
  const e = jsExponential.indexOf('e');
  const mantissa = jsExponential.slice(0, e);
  const sign = jsExponential.charAt(e + 1);
  const digits = jsExponential.slice(e + 2);
  return `${mantissa}e${sign}${digits.length < 2 ? `0${digits}` : digits}`;
}

/** A text 0.0.4 timestamp: integer milliseconds (expfmt/text_create.go writes an int64). */
export function formatTimestampMs(timestampMs: number): string {
  return Math.trunc(timestampMs).toFixed(0);
}

/**
 * An OpenMetrics timestamp: seconds, written as client_golang's openmetrics_create.go does
 * (float64(UnixNano)/1e9 through the 'g' format), e.g. `1.700000000123e+09`.
 */
export function formatTimestampSeconds(timestampMs: number): string {
  // `+ 0` turns a -0 into 0: a timestamp has no sign.
  return formatValue(timestampMs / 1000 + 0);
}
