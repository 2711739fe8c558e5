import { describe, expect, it } from 'vitest';
import { formatSampleLine, renderText } from '../../src/exposition/index.js';
import { parseExposition } from '../helpers/parse-exposition.js';
import type { LabelPairs, MetricFamily } from '../../src/exposition/index.js';
import { goldenFile, inputFixtures, readGolden } from './fixtures.js';
import { checkMetrics, promtool, promtoolAccepts } from './promtool.js';

describe('formatSampleLine', () => {
  it.each<[string, LabelPairs, number, number | undefined, string]>([
    ['up', [], 1, undefined, 'up 1'],
    ['up', [], 0, 1700000000123, 'up 0 1700000000123'],
    ['x', [['a', 'b']], 1e6, undefined, 'x{a="b"} 1e+06'],
    [
      'x',
      [
        ['a', 'b'],
        ['le', '+Inf'],
      ],
      NaN,
      undefined,
      'x{a="b",le="+Inf"} NaN',
    ],
    ['x', [['path', 'C:\\dir "q"\nz']], -Infinity, undefined, 'x{path="C:\\\\dir \\"q\\"\\nz"} -Inf'],
    ['job:x:rate5m', [['model_name', '模型 ü']], 0.001, undefined, 'job:x:rate5m{model_name="模型 ü"} 0.001'],
  ])('%s %j %s %s', (name, labels, value, ts, line) => {
    expect(formatSampleLine(name, labels, value, ts)).toBe(line);
  });
});

describe('renderText', () => {
  it.each(inputFixtures().map((f) => [f.file, f] as const))('%s matches its golden', (file, fixture) => {
    const rendered = renderText(parseExposition(fixture.body, fixture.format).families);
    expect(rendered).toBe(readGolden(goldenFile(file, 'text'), rendered));
  });

  it.each<[string, MetricFamily[], string]>([
    ['nothing', [], ''],
    ['a family without samples', [{ name: 'x', type: 'gauge', help: 'h', samples: [] }], ''],
    [
      'an OpenMetrics counter under its text name',
      [{ name: 'c', type: 'counter', help: 'h', samples: [{ name: 'c_total', labels: [], value: 1 }] }],
      '# HELP c_total h\n# TYPE c_total counter\nc_total 1\n',
    ],
    [
      'a text counter without _total keeps its name',
      [{ name: 'c', type: 'counter', samples: [{ name: 'c', labels: [], value: 1 }] }],
      '# TYPE c counter\nc 1\n',
    ],
    [
      'unknown as untyped',
      [{ name: 'u', type: 'unknown', samples: [{ name: 'u', labels: [], value: 1 }] }],
      '# TYPE u untyped\nu 1\n',
    ],
    [
      'an info family under its sample name',
      [{ name: 'build', type: 'info', samples: [{ name: 'build_info', labels: [['v', '1']], value: 1 }] }],
      '# TYPE build_info untyped\nbuild_info{v="1"} 1\n',
    ],
    [
      'no exemplars and no units',
      [
        {
          name: 'h_bytes',
          type: 'histogram',
          unit: 'bytes',
          samples: [{ name: 'h_bytes_bucket', labels: [['le', '+Inf']], value: 1, exemplar: { labels: [], value: 2 } }],
        },
      ],
      '# TYPE h_bytes histogram\nh_bytes_bucket{le="+Inf"} 1\n',
    ],
    [
      'HELP escapes backslash and newline only',
      [{ name: 'x', type: 'gauge', help: 'a\\b\n"c"', samples: [{ name: 'x', labels: [], value: 1 }] }],
      '# HELP x a\\\\b\\n"c"\n# TYPE x gauge\nx 1\n',
    ],
  ])('%s', (_name, families, expected) => {
    expect(renderText(families)).toBe(expected);
  });
});

describe.skipIf(!promtool)('renderText output passes promtool check metrics', () => {
  it.each(inputFixtures().map((f) => [f.file, f] as const))('%s', (_file, fixture) => {
    const rendered = renderText(parseExposition(fixture.body, fixture.format).families);
    const verdict = checkMetrics(promtool ?? 'promtool', rendered);
    expect(promtoolAccepts(verdict), verdict.output).toBe(true);
  });
});
