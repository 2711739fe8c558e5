import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFleet, renderBasetenMetrics } from '../../src/demo/index.js';
import { parseExposition, renderText } from '../../src/exposition/index.js';
import { countSampleLines, readCanonicalLine, readSlice } from '../../src/remotewrite/exposition-chunks.js';

describe('readCanonicalLine', () => {
  it.each([
    ['up 1', { name: 'up', labels: [], value: 1 }],
    ['m{a="b"} 1.5', { name: 'm', labels: [['a', 'b']], value: 1.5 }],
    ['m{a="x y",b=""} -Inf', { name: 'm', labels: [['a', 'x y'], ['b', '']], value: -Infinity }],
    ['m{a="q \\" b \\\\ n \\n"} +Inf', { name: 'm', labels: [['a', 'q " b \\ n \n']], value: Infinity }],
    ['m{a="whisper\\\\large"} 1', { name: 'm', labels: [['a', 'whisper\\large']], value: 1 }],
    ['m{a="ends in backslash \\\\"} 2', { name: 'm', labels: [['a', 'ends in backslash \\']], value: 2 }],
    ['m{a="{not=\\"labels\\"} 3"} 4', { name: 'm', labels: [['a', '{not="labels"} 3']], value: 4 }],
    ['m 7 1700000000000', { name: 'm', labels: [], value: 7, timestampMs: 1_700_000_000_000 }],
  ])('reads %s', (line, expected) => {
    expect(readCanonicalLine(line)).toEqual(expected);
  });

  it('reads NaN', () => {
    expect(readCanonicalLine('m{a="b"} NaN')!.value).toBeNaN();
  });

  it.each(['m{a="unknown \\t escape"} 1', 'm {a="b"} 1', 'm{a="b"}  1', 'm{a=b} 1', 'm{a="b" 1', 'm{a="b"} one', 'm', ''])('leaves %j to the general parser', (line) => {
    expect(readCanonicalLine(line)).toBeUndefined();
  });
});

describe('readSlice', () => {
  const text = '# HELP m M.\n# TYPE m gauge\nm{a="1"} 1\n\nm {a="2"}  2\nbroken{ 3\nm{a="3"} 3\n';

  it('reads what the general parser reads, falling back to it for unusual lines, and counts broken ones', () => {
    const slice = readSlice(Buffer.from(text), 0);
    const general = parseExposition(text, 'text').families.flatMap((f) => f.samples);
    expect(slice.samples.map((s) => [s.name, s.labels, s.value])).toEqual(general.map((s) => [s.name, s.labels, s.value]));
    expect(slice.invalid).toBe(1);
    expect(slice.next).toBe(Buffer.byteLength(text));
  });

  it('ends a slice at a line break after the size asked for, so slices cover the body exactly', () => {
    const body = Buffer.from(Array.from({ length: 100 }, (_, i) => `m{i="${i}"} ${i}\n`).join(''));
    const values: number[] = [];
    for (let pos = 0; pos < body.length; ) {
      const slice = readSlice(body, pos, 50);
      expect(body[slice.next - 1]).toBe(0x0a);
      values.push(...slice.samples.map((s) => s.value));
      pos = slice.next;
    }
    expect(values).toEqual([...Array(100).keys()]);
  });

  it('counts sample lines without parsing them', () => {
    expect(countSampleLines(Buffer.from(text))).toBe(4);
  });
});

describe('readSlice agrees with the general parser', () => {
  const exposition = resolve(__dirname, '../testdata/exposition');
  const CREATED_AT = Date.UTC(2026, 0, 1);
  const inputs: Array<[string, string]> = [
    ...readdirSync(exposition)
      .filter((f) => f.endsWith('.prom'))
      .map((f): [string, string] => [f, readFileSync(resolve(exposition, f), 'utf8')]),
    ...[1, 7, 11].map((seed): [string, string] => [`demo seed ${seed}`, renderBasetenMetrics(buildFleet({ deployments: 6, seed, createdAtMs: CREATED_AT }), CREATED_AT + 3_600_000)]),
  ];

  it.each(inputs)('on %s as our renderer serves it', (_name, text) => {
    const body = renderText(parseExposition(text, 'text').families);
    const general = parseExposition(body, 'text').families.flatMap((f) => f.samples.map((s) => [s.name, s.labels, s.value, s.timestampMs]));
    const mine: unknown[] = [];
    const buffer = Buffer.from(body);
    for (let pos = 0; pos < buffer.length; ) {
      const slice = readSlice(buffer, pos, 512);
      mine.push(...slice.samples.map((s) => [s.name, s.labels, s.value, s.timestampMs]));
      pos = slice.next;
    }
    expect(mine).toEqual(general);
  });
});
