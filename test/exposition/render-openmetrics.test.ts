import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderOpenMetrics } from '../../src/exposition/index.js';
import { parseExposition } from '../helpers/parse-exposition.js';
import type { MetricFamily } from '../../src/exposition/index.js';
import { goldenFile, inputFixtures, readGolden } from './fixtures.js';
import { promtool } from './promtool.js';

describe('renderOpenMetrics', () => {
  it.each(inputFixtures().map((f) => [f.file, f] as const))('%s matches its golden', (file, fixture) => {
    const rendered = renderOpenMetrics(parseExposition(fixture.body, fixture.format).families);
    expect(rendered).toBe(readGolden(goldenFile(file, 'openmetrics'), rendered));
  });

  it.each<[string, MetricFamily[], string]>([
    ['nothing', [], '# EOF\n'],
    [
      'a text counter: family without _total, samples with it',
      [
        {
          name: 'requests_total',
          type: 'counter',
          help: 'h',
          samples: [{ name: 'requests_total', labels: [], value: 3 }],
        },
      ],
      '# TYPE requests counter\n# HELP requests h\nrequests_total 3\n# EOF\n',
    ],
    [
      'a bare counter sample gains _total',
      [{ name: 'requests', type: 'counter', samples: [{ name: 'requests', labels: [], value: 3 }] }],
      '# TYPE requests counter\nrequests_total 3\n# EOF\n',
    ],
    [
      'untyped as unknown, timestamps in seconds',
      [{ name: 'u', type: 'untyped', samples: [{ name: 'u', labels: [], value: 1, timestampMs: 1700000000123 }] }],
      '# TYPE u unknown\nu 1 1.700000000123e+09\n# EOF\n',
    ],
    [
      'TYPE, UNIT, HELP in that order, HELP escaping quotes',
      [
        {
          name: 'x_seconds',
          type: 'gauge',
          unit: 'seconds',
          help: 'say "hi"\\',
          samples: [{ name: 'x_seconds', labels: [], value: 1 }],
        },
      ],
      '# TYPE x_seconds gauge\n# UNIT x_seconds seconds\n# HELP x_seconds say \\"hi\\"\\\\\nx_seconds 1\n# EOF\n',
    ],
    [
      'a unit that is not the name suffix is left out',
      [{ name: 'x', type: 'gauge', unit: 'seconds', samples: [{ name: 'x', labels: [], value: 1 }] }],
      '# TYPE x gauge\nx 1\n# EOF\n',
    ],
    [
      'exemplars',
      [
        {
          name: 'c',
          type: 'counter',
          samples: [
            {
              name: 'c_total',
              labels: [],
              value: 1,
              exemplar: { labels: [['trace_id', 'a"b']], value: 0.5, timestampMs: 1500 },
            },
            { name: 'c_total', labels: [['x', 'y']], value: 2, timestampMs: 2000, exemplar: { labels: [], value: 1 } },
          ],
        },
      ],
      '# TYPE c counter\nc_total 1 # {trace_id="a\\"b"} 0.5 1.5\nc_total{x="y"} 2 2 # {} 1\n# EOF\n',
    ],
  ])('%s', (_name, families, expected) => {
    expect(renderOpenMetrics(families)).toBe(expected);
  });
});

// `promtool check metrics` reads only text 0.0.4, but `promtool tsdb create-blocks-from openmetrics`
// feeds a file through Prometheus's own OpenMetrics parser (model/textparse/openmetricsparse.go). It
// needs a timestamp on every sample, so each fixture is stamped before it is rendered.
describe.skipIf(!promtool)("renderOpenMetrics output is read by Prometheus's OpenMetrics parser", () => {
  it.each(inputFixtures().map((f) => [f.file, f] as const))('%s', (_file, fixture) => {
    const stamped = parseExposition(fixture.body, fixture.format).families.map((f) => ({
      ...f,
      samples: f.samples.map((s) => ({ ...s, timestampMs: 1700000000000 })),
    }));
    const dir = mkdtempSync(join(tmpdir(), 'exposition-om-'));
    try {
      const input = join(dir, 'input.om');
      writeFileSync(input, renderOpenMetrics(stamped));
      const result = spawnSync(
        promtool ?? 'promtool',
        ['tsdb', 'create-blocks-from', 'openmetrics', input, join(dir, 'blocks')],
        {
          encoding: 'utf8',
          timeout: 20_000,
        },
      );
      expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
