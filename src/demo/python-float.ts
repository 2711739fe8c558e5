/**
 * Numbers as Python's `prometheus_client` writes them, for the serving engines' families (vLLM and SGLang are
 * Python): `floatToGoString` in prometheus_client/utils.py. It starts from Python's `repr(float)` and moves
 * numbers of seven or more integer digits to an exponent, as Go would: `4.0`, `0.001`, `1.7356896e+09`, `+Inf`.
 */

/**
 * Python's `repr(float)`: the shortest digits that read back to the same double (JavaScript finds the same
 * ones), written in fixed notation unless the decimal point falls outside (-4, 16] (CPython's
 * `format_float_short`, mode 'r'), and always with a `.0` or an exponent so that it reads as a float.
 */
export function pythonRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  if (value === 0) return `${sign}0.0`;
  const [mantissa = '', exponent = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  // Where the decimal point goes: the value is 0.<digits> × 10^decpt.
  const decpt = Number(exponent) + 1;
  if (decpt <= -4 || decpt > 16) {
    const exp = decpt - 1;
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0]}${fraction}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/** prometheus_client's `floatToGoString`: sample values and `le` bounds of the engines' families. */
export function formatPythonFloat(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (Number.isNaN(value)) return 'NaN';
  const repr = pythonRepr(value);
  const dot = repr.indexOf('.');
  // "Go switches to exponents sooner than Python." The exponent keeps the client's `e+0` prefix verbatim.
  if (value > 0 && dot > 6) {
    const mantissa = `${repr[0]}.${repr.slice(1, dot)}${repr.slice(dot + 1)}`.replace(/[0.]+$/, '');
    return `${mantissa}e+0${dot - 1}`;
  }
  return repr;
}
