import { describe, expect, it } from 'vitest';
import type { LabelPairs, MetricFamily, MetricType, Sample } from '../../src/exposition/index.js';
import { inputFixtures } from '../exposition/fixtures.js';
import { checkMetrics, promtool, promtoolAccepts } from '../exposition/promtool.js';
import { atLeast } from './cases.js';
import { parseExposition } from './parse-exposition.js';

function sample(name: string, labels: LabelPairs, value: number, more: Partial<Sample> = {}): Sample {
  return { name, labels, value, ...more };
}

function family(name: string, type: MetricType, samples: Sample[], more: Partial<MetricFamily> = {}): MetricFamily {
  return { name, type, samples, ...more };
}

/** The bounded class the parser gives an invalid line: comment lines are metadata, the rest samples. */
function kindOf(line: string): 'metadata' | 'sample' {
  return line.trimStart().startsWith('#') ? 'metadata' : 'sample';
}

describe('parseExposition: invalid line kinds', () => {
  it.each<[string, string, 'text' | 'openmetrics', Array<[number, string]>]>([
    ['sample syntax', 'x{a="1} 1\n', 'text', [[1, 'sample']]],
    ['an unknown TYPE', '# TYPE x gauge\n# TYPE x gaugehistogram\nx 1\n', 'text', [[2, 'metadata']]],
    ['data after # EOF', 'x 1\n# EOF\ny 2\n', 'openmetrics', [[3, 'eof']]],
    ['missing # EOF', 'x 1\n', 'openmetrics', [[2, 'eof']]],
  ])('%s', (_name, body, format, expected) => {
    expect(parseExposition(body, format).invalidLines.map((l) => [l.line, l.kind])).toEqual(expected);
  });
});

describe('parseExposition: text 0.0.4 line shapes', () => {
  it.each<[string, string, MetricFamily[]]>([
    ['a bare sample', 'x 1\n', [family('x', 'untyped', [sample('x', [], 1)])]],
    ['no final newline', 'x 1', [family('x', 'untyped', [sample('x', [], 1)])]],
    ['an empty label set', 'x{} 1\n', [family('x', 'untyped', [sample('x', [], 1)])]],
    ['a trailing comma', 'x{a="b",} 1\n', [family('x', 'untyped', [sample('x', [['a', 'b']], 1)])]],
    [
      'escaped label values',
      'x{a="q\\"b\\\\s\\nn"} 1\n',
      [family('x', 'untyped', [sample('x', [['a', 'q"b\\s\nn']], 1)])],
    ],
    [
      'colons in a metric name',
      'job:rate:sum 2\n',
      [family('job:rate:sum', 'untyped', [sample('job:rate:sum', [], 2)])],
    ],
    ['NaN', 'x NaN\n', [family('x', 'untyped', [sample('x', [], NaN)])]],
    ['+Inf', 'x +Inf\n', [family('x', 'untyped', [sample('x', [], Infinity)])]],
    ['-Inf', 'x -Inf\n', [family('x', 'untyped', [sample('x', [], -Infinity)])]],
    ['Inf without sign', 'x Inf\n', [family('x', 'untyped', [sample('x', [], Infinity)])]],
    ['an exponent', 'x 1e+06\n', [family('x', 'untyped', [sample('x', [], 1e6)])]],
    ['a negative exponent', 'x 1.5e-07\n', [family('x', 'untyped', [sample('x', [], 1.5e-7)])]],
    [
      'a timestamp in ms',
      'x 1 1700000000123\n',
      [family('x', 'untyped', [sample('x', [], 1, { timestampMs: 1700000000123 })])],
    ],
    ['a timestamp with leading zeros', 'x 1 007\n', [family('x', 'untyped', [sample('x', [], 1, { timestampMs: 7 })])]],
    [
      'the largest int64 timestamp, kept below 2^63',
      'x 1 9223372036854775807\n',
      [family('x', 'untyped', [sample('x', [], 1, { timestampMs: 9223372036854774784 })])],
    ],
    // promparse.go lvalReplacer resolves \\ \" \n only: Prometheus stores `\t` and `\u00e9` as written.
    [
      'unknown escapes kept as written',
      'x{a="\\t",b="\\u00e9\\\\"} 1\n',
      [
        family('x', 'untyped', [
          sample(
            'x',
            [
              ['a', '\\t'],
              ['b', '\\u00e9\\'],
            ],
            1,
          ),
        ]),
      ],
    ],
    [
      'labels without commas (promparse.go parseLVals)',
      'x{a="1" b="2"c="3"} 1\n',
      [
        family('x', 'untyped', [
          sample(
            'x',
            [
              ['a', '1'],
              ['b', '2'],
              ['c', '3'],
            ],
            1,
          ),
        ]),
      ],
    ],
    [
      'a value glued to the name (promlex.l)',
      'x-1 2\n',
      [family('x', 'untyped', [sample('x', [], -1, { timestampMs: 2 })])],
    ],
    ['negative zero', 'x -0\n', [family('x', 'untyped', [sample('x', [], -0)])]],
    [
      'blanks and tabs everywhere promlex.l allows them',
      ' \tx \t{ a = "b" ,\tc="d" } \t 1 \t 5 \t\n',
      [
        family('x', 'untyped', [
          sample(
            'x',
            [
              ['a', 'b'],
              ['c', 'd'],
            ],
            1,
            { timestampMs: 5 },
          ),
        ]),
      ],
    ],
    ['no blank between labels and value', 'x{a="b"}1\n', [family('x', 'untyped', [sample('x', [['a', 'b']], 1)])]],
    ['blank lines and comments', '\n# a comment\n   \n#x 2\nx 1\n\n', [family('x', 'untyped', [sample('x', [], 1)])]],
    [
      'HELP with escapes',
      '# HELP x a \\\\ b \\n c \\t d\nx 1\n',
      [family('x', 'untyped', [sample('x', [], 1)], { help: 'a \\ b \n c \\t d' })],
    ],
    ['HELP without text', '# HELP x\nx 1\n', [family('x', 'untyped', [sample('x', [], 1)], { help: '' })]],
    ['TYPE', '# TYPE x gauge\nx 1\n', [family('x', 'gauge', [sample('x', [], 1)])]],
    [
      '# UNIT is a comment in text',
      '# UNIT x_seconds seconds\nx_seconds 1\n',
      [family('x_seconds', 'untyped', [sample('x_seconds', [], 1)])],
    ],
    ['# HELP without a blank is a comment', '#HELP x y\n# HELP\nx 1\n', [family('x', 'untyped', [sample('x', [], 1)])]],
    [
      'histogram suffixes join their family',
      '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 3\nh_count 2\nh_created 1\n',
      [
        family('h', 'histogram', [
          sample('h_bucket', [['le', '+Inf']], 2),
          sample('h_sum', [], 3),
          sample('h_count', [], 2),
          sample('h_created', [], 1),
        ]),
      ],
    ],
    [
      'summary suffixes join their family',
      '# TYPE s summary\ns{quantile="0.5"} 1\ns_sum 3\ns_count 2\n',
      [
        family('s', 'summary', [
          sample('s', [['quantile', '0.5']], 1),
          sample('s_sum', [], 3),
          sample('s_count', [], 2),
        ]),
      ],
    ],
    [
      'suffixes without a typed family are their own untyped families',
      'h_bucket{le="1"} 1\nh_count 1\n',
      [
        family('h_bucket', 'untyped', [sample('h_bucket', [['le', '1']], 1)]),
        family('h_count', 'untyped', [sample('h_count', [], 1)]),
      ],
    ],
    [
      'a counter does not own _total in text',
      '# TYPE c counter\nc_total 1\n',
      [family('c_total', 'untyped', [sample('c_total', [], 1)])],
    ],
    [
      'a family split by another is merged into its first appearance',
      '# TYPE a gauge\na 1\nb 2\na{x="y"} 3\n',
      [
        family('a', 'gauge', [sample('a', [], 1), sample('a', [['x', 'y']], 3)]),
        family('b', 'untyped', [sample('b', [], 2)]),
      ],
    ],
    ['metadata without samples leaves no family', '# HELP x help\n# TYPE x gauge\n', []],
    [
      'NUL and U+FFFD in a label value',
      'x{a="\u0000\ufffd"} 1\n',
      [family('x', 'untyped', [sample('x', [['a', '\u0000\ufffd']], 1)])],
    ],
  ])('%s', (_name, body, families) => {
    const result = parseExposition(body);
    expect(result.invalidLines).toEqual([]);
    expect(result.families).toEqual(families);
    expect(result.format).toBe('text');
  });
});

describe('parseExposition: OpenMetrics 1.0 line shapes', () => {
  it.each<[string, string, MetricFamily[]]>([
    ['a bare sample is unknown', 'x 1\n# EOF\n', [family('x', 'unknown', [sample('x', [], 1)])]],
    ['# EOF without a final newline', 'x 1\n# EOF', [family('x', 'unknown', [sample('x', [], 1)])]],
    [
      'a counter owns _total and _created',
      '# TYPE c counter\nc_total 1\nc_created 1.5e+09\n# EOF\n',
      [family('c', 'counter', [sample('c_total', [], 1), sample('c_created', [], 1.5e9)])],
    ],
    [
      'a timestamp in float seconds becomes ms',
      'x 1 1700000000.123\n# EOF\n',
      [family('x', 'unknown', [sample('x', [], 1, { timestampMs: 1700000000123 })])],
    ],
    ['0.001 seconds is 1 ms', 'x 1 0.001\n# EOF\n', [family('x', 'unknown', [sample('x', [], 1, { timestampMs: 1 })])]],
    [
      'an exemplar',
      '# TYPE c counter\nc_total 1 # {trace_id="abc"} 0.5 1700000000.5\n# EOF\n',
      [
        family('c', 'counter', [
          sample('c_total', [], 1, {
            exemplar: { labels: [['trace_id', 'abc']], value: 0.5, timestampMs: 1700000000500 },
          }),
        ]),
      ],
    ],
    [
      'an exemplar after a timestamp, with empty labels',
      'x_bucket{le="1"} 1 2 # {} 3\n# EOF\n',
      [
        family('x_bucket', 'unknown', [
          sample('x_bucket', [['le', '1']], 1, { timestampMs: 2000, exemplar: { labels: [], value: 3 } }),
        ]),
      ],
    ],
    [
      'UNIT',
      '# TYPE x_seconds gauge\n# UNIT x_seconds seconds\nx_seconds 1\n# EOF\n',
      [family('x_seconds', 'gauge', [sample('x_seconds', [], 1)], { unit: 'seconds' })],
    ],
    [
      'HELP escapes include \\"',
      '# HELP x a \\"b\\" \\\\ \\n\nx 1\n# EOF\n',
      [family('x', 'unknown', [sample('x', [], 1)], { help: 'a "b" \\ \n' })],
    ],
    [
      'info, stateset and gaugehistogram suffixes',
      '# TYPE i info\ni_info{v="1"} 1\n# TYPE s stateset\ns{s="a"} 1\n# TYPE ' +
        'g gaugehistogram\ng_bucket{le="+Inf"} 1\ng_gcount 1\ng_gsum 2\n# EOF\n',
      [
        family('i', 'info', [sample('i_info', [['v', '1']], 1)]),
        family('s', 'stateset', [sample('s', [['s', 'a']], 1)]),
        family('g', 'gaugehistogram', [
          sample('g_bucket', [['le', '+Inf']], 1),
          sample('g_gcount', [], 1),
          sample('g_gsum', [], 2),
        ]),
      ],
    ],
    ['other comments are ignored', '# just a comment\nx 1\n# EOF\n', [family('x', 'unknown', [sample('x', [], 1)])]],
    ['CRLF line endings', '# TYPE x gauge\r\nx 1\r\n# EOF\r\n', [family('x', 'gauge', [sample('x', [], 1)])]],
  ])('%s', (_name, body, families) => {
    const result = parseExposition(body, 'openmetrics');
    expect(result.invalidLines).toEqual([]);
    expect(result.families).toEqual(families);
    expect(result.format).toBe('openmetrics');
  });
});

// Each malformed line alone; `promtoolRejects` records whether expfmt (promtool) rejects it too.
describe('parseExposition: malformed text lines', () => {
  it.each<[string, string, string, boolean]>([
    ['missing value', 'x{a="1"}', 'expected value, found end of line', true],
    ['missing value after blanks', 'x   ', 'expected value, found end of line', true],
    ['unterminated quote', 'x{a="1} 2', 'expected `"` to end label value, found end of line', true],
    ['backslash at the end of the line', 'x{a="\\', 'expected `"` to end label value, found end of line', true],
    ['bad label name', 'x{1a="x"} 1', 'expected label name, found `1`', true],
    ['label name with a colon', 'x{a:b="1"} 1', 'expected `=` after label name, found `:`', true],
    ['unquoted label value', 'x{a=b} 1', 'expected label value, found `b`', true],
    ['unclosed label set', 'x{a="1"', 'expected `,` or `}` after label value, found end of line', true],
    ['doubled comma', 'x{a="1",,} 1', 'expected label name, found `,`', true],
    ['duplicate label name', 'x{a="1",a="2"} 1', 'duplicate label name `a`', true],
    ['reserved label name', 'x{__name__="y"} 1', 'label name `__name__` is reserved', true],
    ['garbage value', 'x one', 'expected a number as value, found `one`', true],
    ['hex value', 'x 0x1F', 'expected a number as value, found `0x1F`', true],
    ['hex float value', 'x 0x1p-2', 'expected a number as value, found `0x1p-2`', true],
    ['underscore in value', 'x 1_000', 'expected a number as value, found `1_000`', true],
    ['signed NaN', 'x +NaN', 'expected a number as value, found `+NaN`', true],
    ['value out of range', 'x 1e400', 'value `1e400` is out of range', true],
    ['float timestamp', 'x 1 1.5', 'expected integer timestamp in milliseconds, found `1.5`', true],
    ['text after the timestamp', 'x 1 2 3', 'expected end of line after timestamp, found `3`', true],
    ['an exemplar in text', 'x 1 # {a="b"} 1', 'expected integer timestamp in milliseconds, found `#`', true],
    ['no metric name', '{a="1"} 1', 'expected metric name, found `{`', true],
    ['metric name starting with a digit', '1x 1', 'expected metric name, found `1`', true],
    ['a NUL for a metric name', '\u0000 1', 'expected metric name, found `\\u0000`', true],
    ['a name with a dot', 'x.y 1', 'expected a number as value, found `.y`', true],
    ['a comma after a label value is not a name', 'x{a="1" ,,} 1', 'expected label name, found `,`', true],
    // promlex.l reads a timestamp as `{D}+`: a sign fails the line in Prometheus (expfmt, in promtool, takes it).
    ['a negative timestamp', 'x 1 -5', 'expected integer timestamp in milliseconds, found `-5`', false],
    [
      'a timestamp with a plus sign',
      'x 1 +1796157786139',
      'expected integer timestamp in milliseconds, found `+1796157786139`',
      false,
    ],
    [
      'a timestamp beyond int64',
      'x 1 9223372036854775808',
      'expected integer timestamp in milliseconds, found `9223372036854775808`',
      true,
    ],
    ['invalid TYPE', '# TYPE x gaugehistogram', 'invalid metric type `gaugehistogram`', true],
    ['TYPE without a type', '# TYPE x', 'expected metric type after TYPE, found end of line', false],
    ['HELP without a valid name', '# HELP 1x help', 'expected metric name after HELP, found `1`', true],
    ['HELP with a name glued to text', '# HELP x{ help', 'expected whitespace after metric name, found `{`', true],
  ])('%s', (_name, line, reason, promtoolRejects) => {
    const result = parseExposition(`${line}\nok 1\n`);
    expect(result.invalidLines).toEqual([{ line: 1, kind: kindOf(line), reason, excerpt: line }]);
    expect(result.families.map((f) => f.name)).toEqual(['ok']);
    expect(result.totalLines).toBe(2);
    if (promtool)
      expect(promtoolAccepts(checkMetrics(promtool, `${line}\n`)), 'promtool verdict').toBe(!promtoolRejects);
  });
});

describe('parseExposition: malformed OpenMetrics lines', () => {
  it.each<[string, string, string]>([
    ['two spaces before the value', 'x  1', 'expected value, found ` `'],
    ['a tab before the value', 'x\t1', 'expected ` ` before value, found `\\u0009`'],
    ['a blank inside braces', 'x{ a="1"} 1', 'expected label name, found ` `'],
    ['a blank before the name', ' x 1', 'expected metric name, found ` `'],
    ['a blank between name and braces', 'x {a="1"} 1', 'expected a number as value, found `{a="1"}`'],
    ['a bad timestamp', 'x 1 soon', 'expected timestamp in seconds, found `soon`'],
    ['a NaN timestamp', 'x 1 NaN', 'expected timestamp in seconds, found `NaN`'],
    ['text after the timestamp', 'x 1 2 3', 'expected end of line or exemplar after timestamp, found ` `'],
    ['an exemplar without a value', 'x_total 1 # {a="b"}', 'expected exemplar value, found end of line'],
    ['an exemplar with a bad value', 'x_total 1 # {a="b"} v', 'expected a number as exemplar value, found `v`'],
    ['text after the exemplar', 'x_total 1 # {a="b"} 1 2 3', 'expected end of line after exemplar, found ` `'],
    ['untyped is not an OpenMetrics type', '# TYPE x untyped', 'invalid metric type `untyped`'],
    ['a unit that is not a suffix', '# UNIT x_seconds bytes', 'unit `bytes` is not a suffix of metric `x_seconds`'],
    ['two spaces in TYPE', '# TYPE  x gauge', 'expected metric name after TYPE, found ` `'],
  ])('%s', (_name, line, reason) => {
    const result = parseExposition(`${line}\nok 1\n# EOF\n`, 'openmetrics');
    expect(result.invalidLines).toEqual([{ line: 1, kind: kindOf(line), reason, excerpt: line }]);
    expect(result.families.map((f) => f.name)).toEqual(['ok']);
  });
});

describe('parseExposition: repeated and late metadata, the first wins', () => {
  it.each<[string, string, MetricFamily[]]>([
    ['a second TYPE', '# TYPE x gauge\n# TYPE x counter\nx 1\n', [family('x', 'gauge', [sample('x', [], 1)])]],
    ['a second HELP', '# HELP x a\n# HELP x b\nx 1\n', [family('x', 'untyped', [sample('x', [], 1)], { help: 'a' })]],
    [
      'a TYPE after the samples is ignored',
      'x 1\n# TYPE x counter\nx{a="b"} 2\n',
      [family('x', 'untyped', [sample('x', [], 1), sample('x', [['a', 'b']], 2)])],
    ],
    [
      'a late HELP is the first HELP',
      'x 1\n# HELP x late\n',
      [family('x', 'untyped', [sample('x', [], 1)], { help: 'late' })],
    ],
    [
      'a TYPE after a split family',
      '# TYPE x gauge\nx 1\ny 2\n# TYPE x counter\nx{a="b"} 3\n',
      [
        family('x', 'gauge', [sample('x', [], 1), sample('x', [['a', 'b']], 3)]),
        family('y', 'untyped', [sample('y', [], 2)]),
      ],
    ],
  ])('%s', (_name, body, families) => {
    const result = parseExposition(body);
    expect(result.invalidLines).toEqual([]);
    expect(result.families).toEqual(families);
  });
});

describe('parseExposition: rules across lines', () => {
  it.each<[string, string, 'text' | 'openmetrics', Array<{ line: number; reason: string }>, string[]]>([
    // Prometheus reads repeated and late metadata as valid lines: none of these is invalid (the first wins).
    ['TYPE given twice', '# TYPE x gauge\n# TYPE x counter\nx 1\n', 'text', [], ['x']],
    ['TYPE after samples', 'x 1\n# TYPE x gauge\n', 'text', [], ['x']],
    ['HELP given twice', '# HELP x a\n# HELP x b\nx 1\n', 'text', [], ['x']],
    ['UNIT given twice', '# UNIT x_s s\n# UNIT x_s s\nx_s 1\n# EOF\n', 'openmetrics', [], ['x_s']],
    [
      'text after # EOF',
      'x 1\n# EOF\ny 2\n\nz 3\n',
      'openmetrics',
      [
        { line: 3, reason: 'unexpected data after # EOF' },
        { line: 5, reason: 'unexpected data after # EOF' },
      ],
      ['x'],
    ],
    [
      'a missing # EOF',
      'x 1\ny 2\n',
      'openmetrics',
      [{ line: 3, reason: 'expected # EOF at end of input' }],
      ['x', 'y'],
    ],
    [
      '# EOF with a trailing blank is not # EOF',
      'x 1\n# EOF \n',
      'openmetrics',
      [{ line: 3, reason: 'expected # EOF at end of input' }],
      ['x'],
    ],
    ['an empty OpenMetrics body', '', 'openmetrics', [{ line: 1, reason: 'expected # EOF at end of input' }], []],
    ['# EOF is a comment in text', 'x 1\n# EOF\ny 2\n', 'text', [], ['x', 'y']],
  ])('%s', (_name, body, format, invalid, familyNames) => {
    const result = parseExposition(body, format);
    expect(result.invalidLines.map(({ line, reason }) => ({ line, reason }))).toEqual(invalid);
    expect(result.families.map((f) => f.name)).toEqual(familyNames);
  });

  it('counts non-empty lines and keeps going after each bad one', () => {
    const result = parseExposition('a 1\n\n  \nbad{\nb 2\r\n# comment\n');
    expect(result.totalLines).toBe(4);
    expect(result.invalidLines).toEqual([
      { line: 4, kind: 'sample', reason: 'expected label name, found end of line', excerpt: 'bad{' },
    ]);
    expect(result.families.map((f) => f.name)).toEqual(['a', 'b']);
  });

  it('cuts excerpts to 80 characters', () => {
    const line = `x{a="${'v'.repeat(200)}`;
    const [invalid] = parseExposition(line).invalidLines;
    expect(invalid?.excerpt).toBe(`${line.slice(0, 79)}…`);
    expect(invalid?.excerpt).toHaveLength(80);
  });

  it('reads the same families with CRLF line endings', () => {
    for (const fixture of inputFixtures()) {
      const lf = parseExposition(fixture.body, fixture.format);
      const crlf = parseExposition(fixture.body.replace(/\n/g, '\r\n'), fixture.format);
      expect(crlf, fixture.file).toEqual(lf);
    }
  });
});

describe('parseExposition: fixtures', () => {
  const valid = atLeast(
    7,
    inputFixtures().filter((f) => f.file !== 'mixed-invalid-lines.prom'),
    'fixtures without invalid lines',
  );

  it.each(valid.map((f) => [f.file, f] as const))('%s has no invalid lines', (_file, fixture) => {
    const result = parseExposition(fixture.body, fixture.format);
    expect(result.invalidLines).toEqual([]);
    expect(result.families.length).toBeGreaterThan(0);
  });

  it('mixed-invalid-lines.prom: reports each bad line and keeps the rest', () => {
    const fixture = inputFixtures().find((f) => f.file === 'mixed-invalid-lines.prom');
    const result = parseExposition(fixture?.body ?? '');
    expect(result.invalidLines.map(({ line, reason }) => [line, reason])).toEqual([
      [3, 'expected value, found end of line'],
      [4, 'expected `"` to end label value, found end of line'],
      [5, 'expected integer timestamp in milliseconds, found `-1000`'],
      [6, 'expected label name, found `1`'],
      [7, 'expected a number as value, found `one`'],
      [8, 'duplicate label name `a`'],
      [10, 'invalid metric type `gaugehistogram`'],
      [11, 'expected a number as value, found `0x1F`'],
      [12, 'expected `=` after label name, found `:`'],
      [13, 'expected integer timestamp in milliseconds, found `+1796157786139`'],
      [14, 'expected integer timestamp in milliseconds, found `1.5`'],
      [15, 'expected metric name, found `{`'],
      [16, 'value `1e400` is out of range'],
    ]);
    expect(result.totalLines).toBe(17);
    expect(result.families).toEqual([
      family('good', 'gauge', [
        sample('good', [['a', '1']], 1),
        sample('good', [['a', '2']], 2),
        sample('good', [['a', '3']], 3),
      ]),
    ]);
  });

  it('histogram-escaped-labels.prom: the Baseten histogram keeps every label byte', () => {
    const fixture = inputFixtures().find((f) => f.file === 'histogram-escaped-labels.prom');
    const [histogram] = parseExposition(fixture?.body ?? '').families;
    expect(histogram?.name).toBe('baseten_end_to_end_response_time_seconds');
    expect(histogram?.type).toBe('histogram');
    expect(histogram?.help).toBe(
      'End-to-end response time of inference requests, in seconds.\nMeasured ' +
        'at the load balancer; C:\\ paths stay escaped.',
    );
    expect(histogram?.samples).toHaveLength(28);
    expect(histogram?.samples[11]).toEqual(
      sample(
        'baseten_end_to_end_response_time_seconds_bucket',
        [
          ['model_id', 'abc123'],
          ['model_name', 'Llama 3 "8B" C:\\models 模型 ü\nv2'],
          ['deployment_id', 'dep456'],
          ['environment', 'production'],
          ['status_code', '200'],
          ['is_async', 'false'],
          ['le', '+Inf'],
        ],
        1234,
      ),
    );
    expect(
      histogram?.samples.map((s) => s.name.slice('baseten_end_to_end_response_time_seconds'.length)).slice(10, 14),
    ).toEqual(['_bucket', '_bucket', '_sum', '_count']);
  });
});

describe.skipIf(!promtool)('parseExposition agrees with promtool', () => {
  const textFixtures = atLeast(
    5,
    inputFixtures().filter((f) => f.format === 'text'),
    'text fixtures',
  );

  it.each(textFixtures.map((f) => [f.file, f] as const))(
    '%s: accepted by promtool ⇒ no invalid lines',
    (_file, fixture) => {
      const verdict = checkMetrics(promtool ?? 'promtool', fixture.body);
      const result = parseExposition(fixture.body);
      if (promtoolAccepts(verdict)) expect(result.invalidLines).toEqual([]);
      else expect(verdict.status, verdict.output).toBe(1);
    },
  );
});
