/**
 * The warm path byte by byte: which next bodies it replays (and exactly what it serves), and which it
 * leaves to the cold path. Each case builds a first body cold, then the next body warm, and compares with a
 * cold build of the next body.
 */
import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../src/exposition/index.js';
import { compileRelabelConfigs } from '../../src/relabel/index.js';
import { SnapshotBuilder, type BuildOptions } from '../../src/snapshot/index.js';

const OPTIONS: BuildOptions = { limits: { sampleLimit: 0, labelLimit: 0, labelNameLengthLimit: 0, labelValueLengthLimit: 0 }, maxInvalidLineRatio: 0.01, helpSuffix: '(cached)' };
const RULES = [
  { source_labels: ['a'], regex: '9', action: 'drop' },
  { target_label: 'env', replacement: 'prod' },
];
const FIRST = ['# HELP x X.', '# TYPE x gauge', 'x{a="1"} 1', 'x{a="10"} 2', 'x{a="1",b="2"} 3', 'x{a="9"} 4', '# HELP y_total Y.', '# TYPE y_total counter', 'y_total 5', ''].join('\n');
const HEADER_X = '# HELP x X. (cached)\n# TYPE x gauge\n';
const HEADER_Y = '# HELP y_total Y. (cached)\n# TYPE y_total counter\n';

function build(next: string, first = FIRST) {
  const builder = new SnapshotBuilder(compileRelabelConfigs(RULES), OPTIONS);
  const cold = builder.build(Buffer.from(first), undefined, 0);
  expect(cold).toMatchObject({ ok: true, warm: false });
  return { warm: builder.build(Buffer.from(next), undefined, 0), cold: new SnapshotBuilder(compileRelabelConfigs(RULES), OPTIONS).build(Buffer.from(next), undefined, 0) };
}

const meaning = (text: Buffer) => parseExposition(text.toString('utf8')).families.map((f) => [f.name, f.samples.map((s) => [[...s.labels], s.value, s.timestampMs])]);

describe('replay', () => {
  it.each<[string, string, string]>([
    [
      'the same series in the same order',
      FIRST.replace(' 1\n', ' 11\n'),
      `${HEADER_X}x{a="1",env="prod"} 11\nx{a="10",env="prod"} 2\nx{a="1",b="2",env="prod"} 3\n${HEADER_Y}y_total{env="prod"} 5\n`,
    ],
    [
      'another order, kept within each family',
      ['# HELP x X.', '# TYPE x gauge', 'x{a="1",b="2"} 3', 'x{a="9"} 4', 'x{a="10"} 2', 'x{a="1"} 1', '# HELP y_total Y.', '# TYPE y_total counter', 'y_total 5', ''].join('\n'),
      `${HEADER_X}x{a="1",b="2",env="prod"} 3\nx{a="10",env="prod"} 2\nx{a="1",env="prod"} 1\n${HEADER_Y}y_total{env="prod"} 5\n`,
    ],
    [
      'a series gone',
      ['# HELP x X.', '# TYPE x gauge', 'x{a="1"} 1', 'x{a="1",b="2"} 3', 'x{a="9"} 4', '# HELP y_total Y.', '# TYPE y_total counter', 'y_total 5', ''].join('\n'),
      `${HEADER_X}x{a="1",env="prod"} 1\nx{a="1",b="2",env="prod"} 3\n${HEADER_Y}y_total{env="prod"} 5\n`,
    ],
    [
      'CRLF line ends',
      FIRST.replaceAll('\n', '\r\n'),
      `${HEADER_X}x{a="1",env="prod"} 1\nx{a="10",env="prod"} 2\nx{a="1",b="2",env="prod"} 3\n${HEADER_Y}y_total{env="prod"} 5\n`,
    ],
  ])('replays %s', (_name, next, expected) => {
    const { warm, cold } = build(next);
    expect(warm).toMatchObject({ ok: true, warm: true });
    if (!warm.ok || !cold.ok) throw new Error('unreachable');
    expect(warm.snapshot.text.toString()).toBe(expected);
    expect(meaning(warm.snapshot.text)).toEqual(meaning(cold.snapshot.text));
    expect([...warm.dropped]).toEqual([['relabel', 1]]);
    expect(warm.droppedByRule).toEqual([[0, 1]]);
    expect([warm.snapshot.seriesScraped, warm.snapshot.seriesServed]).toEqual([cold.snapshot.seriesScraped, cold.snapshot.seriesServed]);
  });

  it.each(['7', '-0.5', '+3', '.5', '5.', '1e5', '1.5E-07', '12345678901234567890123.5', 'NaN', '+Inf', '-inf', '1 1700000000000', '2.5 3'])('copies the value %s as written', (value) => {
    const { warm, cold } = build(FIRST.replace('y_total 5', `y_total ${value}`));
    expect(warm).toMatchObject({ ok: true, warm: true });
    if (!warm.ok || !cold.ok) throw new Error('unreachable');
    expect(warm.snapshot.text.toString()).toContain(`y_total{env="prod"} ${value}\n`);
    expect(meaning(warm.snapshot.text)).toEqual(meaning(cold.snapshot.text));
  });

  it.each<[string, string]>([
    ['a float Go cannot read (hex)', FIRST.replace('y_total 5', 'y_total 0x10')],
    ['a float that overflows', FIRST.replace('y_total 5', 'y_total 1e400')],
    ['underscores in a number', FIRST.replace('y_total 5', 'y_total 1_000')],
    ['an exponent without digits', FIRST.replace('y_total 5', 'y_total 1e')],
    ['a timestamp that is not an integer', FIRST.replace('y_total 5', 'y_total 5 1.5')],
    // promlex.l reads a timestamp as digits only: Prometheus would refuse the whole scrape of `5 -3`.
    ['a signed timestamp', FIRST.replace('y_total 5', 'y_total 5 -3')],
    ['a duplicate further down', FIRST.replace('y_total 5', 'y_total 5\nx{a="10"} 2')],
    ['a new series', FIRST.replace('x{a="10"} 2', 'x{a="11"} 2')],
    ['a series that extends a known one', FIRST.replace('x{a="10"} 2', 'x{a="10"}x 2')],
    ['other metadata', FIRST.replace('# TYPE y_total counter', '# TYPE y_total gauge')],
    ['a tab after the series', FIRST.replace('y_total 5', 'y_total\t5')],
  ])('leaves %s to the cold path', (_name, next) => {
    const { warm } = build(next);
    expect(warm.ok && warm.warm).toBe(false);
  });
});
