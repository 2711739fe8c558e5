import { compress } from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { OpenBatch } from '../../src/remotewrite/batch.js';
import { ByteWriter, varintLength } from '../../src/remotewrite/protobuf.js';
import { SeriesLabeler } from '../../src/remotewrite/series-labels.js';
import { compileRelabelConfigs } from '../../src/relabel/index.js';
import { formatLabels } from '../../src/exposition/index.js';
import { decodeWriteRequest } from './decode-write-request.js';

/** A series' labels encoded once, as the push's series table does: the bytes and the range. */
function encodeLabels(labels: string[]): [Buffer, number, number] {
  const writer = new ByteWriter(16);
  writer.writeLabels(labels);
  return [writer.bytes(), 0, writer.length];
}

function encode(records: Array<[string[], number, number]>): Buffer {
  const writer = new ByteWriter(16); // small, so the buffer has to grow
  for (const [labels, value, ts] of records) writer.writeRecord(...encodeLabels(labels), value, ts);
  return Buffer.from(compress(writer.bytes()));
}

describe('ByteWriter.writeRecord', () => {
  it.each([
    ['a plain sample', ['__name__', 'up', 'job', 'x'], 1, 1_700_000_000_000],
    ['NaN', ['__name__', 'nan'], Number.NaN, 0],
    ['+Inf', ['__name__', 'inf'], Infinity, 1],
    ['-Inf and a timestamp above 2^32', ['__name__', 'neg'], -Infinity, 2 ** 40 + 5],
    ['the largest double', ['__name__', 'max'], Number.MAX_VALUE, 127],
    ['a subnormal', ['__name__', 'tiny'], 5e-324, 128],
    [
      'UTF-8, quotes, backslashes and newlines in values',
      ['__name__', 'm', 'model', 'Llama "8B" C:\\ 模型 ü\nv2'],
      2.5,
      16_384,
    ],
    ['a value longer than 127 bytes (two-byte lengths)', ['__name__', 'long', 'v', 'x'.repeat(300)], 3, 2 ** 53 - 1],
  ])('round-trips %s', (_name, labels, value, ts) => {
    const [series] = decodeWriteRequest(encode([[labels, value, ts]]));
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < labels.length; i += 2) pairs.push([labels[i]!, labels[i + 1]!]);
    expect(series!.labels).toEqual(pairs);
    expect(series!.samples).toHaveLength(1);
    expect(Object.is(series!.samples[0]!.value, value)).toBe(true);
    expect(series!.samples[0]!.timestampMs).toBe(ts);
  });

  it('writes many records as one WriteRequest, one TimeSeries per sample', () => {
    const records: Array<[string[], number, number]> = Array.from({ length: 1000 }, (_, i) => [
      ['__name__', 'g', 'i', String(i)],
      i,
      1000 + i,
    ]);
    const decoded = decodeWriteRequest(encode(records));
    expect(decoded).toHaveLength(1000);
    expect(decoded[999]).toEqual({
      labels: [
        ['__name__', 'g'],
        ['i', '999'],
      ],
      samples: [{ value: 999, timestampMs: 1999 }],
    });
  });

  it.each([
    [0, 1],
    [127, 1],
    [128, 2],
    [16_383, 2],
    [16_384, 3],
    [2 ** 32, 5],
    [2 ** 53 - 1, 8],
  ])('varintLength(%d) is %d', (n, length) => {
    expect(varintLength(n)).toBe(length);
  });
});

describe('ByteWriter.writeServedLabels', () => {
  const noRules = new SeriesLabeler(compileRelabelConfigs([]));
  /** What the string path encodes for a series: the labels read as text, flattened and written. */
  function fromStrings(name: string, pairs: Array<[string, string]>): Buffer {
    const outcome = noRules.labelsOf(name, pairs);
    const writer = new ByteWriter(16);
    if (outcome.kept) writer.writeLabels(outcome.labels);
    return writer.bytes();
  }
  function fromBytes(text: string): Buffer | undefined {
    // Surrounded by other bytes, as a series sits in a served body.
    const body = Buffer.from(`x\n${text} 1\n`);
    const writer = new ByteWriter(16);
    const start = 2;
    return writer.writeServedLabels(body, start, start + Buffer.byteLength(text)) ? writer.bytes() : undefined;
  }

  it(
    'encodes random served series exactly as the string path does: ' +
      '__name__ in its place, escapes resolved, empty values left out',
    () => {
      // A small deterministic generator: label names on both sides of `__name__` in byte order.
      let seed = 7;
      const rand = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % n;
      };
      const names = ['A', 'Z_1', '_a', '__a', '__namf', '__nam', '_z', 'a', 'deployment_id', 'le', 'model_name', 'zz'];
      const values = ['', 'x', '0.5', '+Inf', 'Llama "8B"', 'C:\\dir', 'two\nlines', '模型 ü', 'x'.repeat(200)];
      let checked = 0;
      for (let k = 0; k < 500; k++) {
        const chosen = names.filter(() => rand(3) === 0).sort();
        const pairs = chosen.map((n): [string, string] => [n, values[rand(values.length)]!]);
        const name = rand(2) === 0 ? 'up' : 'baseten_inference_requests_total';
        const encoded = fromBytes(`${name}${formatLabels(pairs)}`);
        expect(encoded, `${name}${formatLabels(pairs)}`).toEqual(fromStrings(name, pairs));
        checked++;
      }
      expect(checked).toBe(500);
    },
  );

  it.each([
    ['labels out of order', 'm{b="1",a="2"}'],
    ['a repeated label', 'm{a="1",a="2"}'],
    ['an escape the renderer never writes', 'm{a="\\t"}'],
    ['an open label set', 'm{a="1"'],
    ['no name', '{a="1"}'],
  ])('refuses %s, leaving the caller to read it as text', (_what, text) => {
    expect(fromBytes(text)).toBeUndefined();
  });
});

describe('SeriesLabeler', () => {
  it('sorts labels by name in byte order with __name__ among them, and leaves out empty values', () => {
    const labeler = new SeriesLabeler({ rules: [], source: [] });
    expect(
      labeler.labelsOf('m', [
        ['z', '1'],
        ['A_upper', '2'],
        ['empty', ''],
        ['_a', '3'],
      ]),
    ).toEqual({
      kept: true,
      labels: ['A_upper', '2', '__name__', 'm', '_a', '3', 'z', '1'],
    });
  });

  it('applies write_relabel_configs: rewrites, and says why a series is dropped', () => {
    const rules = compileRelabelConfigs(
      [
        { source_labels: ['__name__'], regex: 'secret_.*', action: 'drop' },
        { source_labels: ['env'], target_label: 'environment' },
        { regex: 'env', action: 'labeldrop' },
        { source_labels: ['__name__'], regex: 'unnamed', target_label: '__name__', replacement: '' },
      ],
      'remote_write[0].write_relabel_configs',
    );
    const labeler = new SeriesLabeler(rules);
    expect(labeler.labelsOf('m', [['env', 'prod']])).toEqual({
      kept: true,
      labels: ['__name__', 'm', 'environment', 'prod'],
    });
    expect(labeler.labelsOf('secret_x', [])).toEqual({ kept: false, reason: 'relabel' });
    expect(labeler.labelsOf('unnamed', [])).toEqual({ kept: false, reason: 'invalid_name' });
  });
});

describe('OpenBatch', () => {
  it('seals into one snappy block holding every sample, and starts empty again', () => {
    const batch = new OpenBatch();
    batch.add(...encodeLabels(['__name__', 'a']), 1, 10, 5);
    batch.add(...encodeLabels(['__name__', 'b']), 2, 10, 6);
    expect(batch.openedAt).toBe(5);
    const sealed = batch.seal();
    expect(sealed.samples).toBe(2);
    expect(decodeWriteRequest(sealed.body).map((s) => s.labels[0]![1])).toEqual(['a', 'b']);
    expect(batch.samples).toBe(0);
    expect(batch.openedAt).toBeUndefined();
  });
});
