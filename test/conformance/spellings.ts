/**
 * The raw spellings the corpus draws from, each with what Prometheus 2.42 makes of it. Strings here are
 * exactly as they appear on the wire (a backslash in a label value is written `\\` in this source).
 */

/**
 * Sample values Prometheus reads (promparse.go parseFloat: strconv.ParseFloat without `p`, `P` or `_`).
 * Go's special() takes inf/infinity with a sign and nan without one, in any case; an underflow is 0 (`-0`
 * when negative), not an error; integers above 2^53 round to the nearest double.
 */
export const SPECIAL_VALUES: readonly string[] = [
  'NaN',
  'nan',
  'NAN',
  'nAn',
  '+Inf',
  'Inf',
  'inf',
  '-Inf',
  '-inf',
  '+inf',
  'INF',
  'Infinity',
  '+Infinity',
  '-infinity',
  'infinity',
  '-INFINITY',
  '-0',
  '+0',
  '0.0',
  '-0.0',
  '-0e5',
  '0e0',
  '-1e-400',
  '1e-400',
  '1e308',
  '-1.7976931348623157e308',
  '1.7976931348623157e+308',
  '4.9e-324',
  '5e-324',
  '2.2250738585072014e-308',
  '9007199254740993',
  '9007199254740992',
  '-9007199254740995',
  '18446744073709551617',
  '123456789012345678901234567890',
  '007',
  '-007.50',
  '.5',
  '5.',
  '+3',
  '+.25',
  '-.0',
  '1E3',
  '1e+06',
  '1e-7',
  '0.1',
  '3.0000000000000004',
  '100000000000000000000000',
  '0.30000000000000004',
  '1.0000000000000002',
  '123456.789e3',
];

/** Values Prometheus refuses (the scrape fails). */
export const INVALID_VALUES: readonly string[] = [
  '0x1p3',
  '0x10',
  '0X1P-2',
  '1_000',
  '1e400',
  '-1e400',
  'abc',
  '+nan',
  '-NaN',
  'Infinityx',
  'in',
  '1.2.3',
  '--1',
  '1e',
  '.',
  '+',
];

/** Label value texts between the quotes, as written. Prometheus keeps unknown escapes as written. */
export const LABEL_VALUES: readonly string[] = [
  'plain',
  'with space',
  'a-b_c.d/e:f',
  '{}=,#',
  '0',
  '+Inf',
  'NaN',
  'C:\\\\path\\\\to',
  'quote \\"x\\"',
  'line\\nbreak',
  'ends in backslash\\\\',
  'tab\\there',
  'caf\\u00e9',
  'bell\\a',
  '\\x41',
  '\\\\\\t',
  'a\\\\\\\\b\\c',
  '\\ ',
  'caf\u00e9',
  '\u65e5\u672c\u8a9e',
  '\ud83d\ude42 emoji',
  'raw\ttab',
  'raw\rcr',
  'Ωmega',
  'very long value '.repeat(8),
];

export const LABEL_NAMES: readonly string[] = [
  'a',
  'b',
  'code',
  'model_name',
  '_under',
  'Mixed_Case9',
  'x1',
  '__private',
  'le_not',
  'q',
];

/** Timestamps of text 0.0.4 that Prometheus refuses: promlex.l's sTimestamp is `{D}+`, then ParseInt(…, 64). */
export const INVALID_TIMESTAMPS: readonly string[] = [
  '+1796157786139',
  '-1000',
  '9223372036854775808',
  '99999999999999999999',
  '1.5',
  '1e3',
  '0x10',
  '-0',
];

/** Separators between the series, value and timestamp (promlex.l `[ \t]+`). */
export const BLANKS: readonly string[] = [' ', ' ', ' ', '\t', '  ', ' \t '];

/** Bucket bounds as written, ascending, ending in a spelling of +Inf. */
export const BUCKET_SPELLINGS: ReadonlyArray<readonly string[]> = [
  ['0.005', '0.01', '0.1', '1', '+Inf'],
  ['1.0', '2.5', '1e+01', '+Inf'],
  ['0.5', 'Inf'],
  ['-1', '0', '1', '+inf'],
  ['+Inf'],
];

/**
 * Lines Prometheus refuses, of every kind: signed or out-of-range timestamps, values it cannot read, broken
 * label syntax, repeated or reserved label names, text after the timestamp, bad metadata, bad start tokens.
 * `n` is a metric name of the payload.
 */
export const INVALID_LINES: ReadonlyArray<(n: string) => string> = [
  (n) => `${n} 1 +1796157786139`,
  (n) => `${n} 1 -1000`,
  (n) => `${n}{a="x"} 2 9223372036854775808`,
  (n) => `${n} 1 1.5`,
  (n) => `${n} 0x1p3`,
  (n) => `${n} 1_000`,
  (n) => `${n} 1e400`,
  (n) => `${n} +nan`,
  (n) => `${n}{a="1" 1`,
  (n) => `${n}{1a="x"} 1`,
  (n) => `${n}{a=1} 1`,
  (n) => `${n}{,} 1`,
  (n) => `${n}{a="1",,b="2"} 1`,
  (n) => `${n}{a="1",a="2"} 1`,
  (n) => `${n}{__name__="x"} 1`,
  (n) => `${n}{a="unterminated\\"} 1`,
  (n) => `${n} 1 2 3`,
  (n) => `${n} 1 # {trace_id="a"} 1`,
  (n) => `${n}`,
  (n) => `${n}{a="b"}`,
  (n) => `# TYPE ${n} foo`,
  (n) => `# TYPE ${n}`,
  (n) => `# TYPE ${n} gauge extra`,
  (n) => `# TYPE 1${n} gauge`,
  (n) => `# HELP 1${n} text`,
  () => `{a="b"} 1`,
  (n) => `1${n} 2`,
  (n) => `${n}\u00e9 1`,
];
