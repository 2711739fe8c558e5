import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFleet, renderBasetenMetrics } from '../../src/demo/index.js';
import { renderText } from '../../src/exposition/index.js';
import { parseExposition } from '../helpers/parse-exposition.js';
import { countSamples, PushSeries } from '../../src/remotewrite/push-series.js';

function readAll(text: string, table = new PushSeries()): { samples: unknown[]; invalid: number } {
  const cursor = table.read(Buffer.from(text));
  const samples: unknown[] = [];
  while (cursor.next()) {
    const read = cursor.row!.parsed(table.lineReader);
    samples.push([read?.name, read?.labels, cursor.value, cursor.timestampMs]);
  }
  table.sweep();
  return { samples, invalid: cursor.takeInvalid() };
}

describe('PushSeries', () => {
  it.each([
    ['up 1', ['up', [], 1, undefined]],
    ['m{a="b"} 1.5', ['m', [['a', 'b']], 1.5, undefined]],
    [
      'm{a="x y",b=""} -Inf',
      [
        'm',
        [
          ['a', 'x y'],
          ['b', ''],
        ],
        -Infinity,
        undefined,
      ],
    ],
    ['m{a="q \\" b \\\\ n \\n"} +Inf', ['m', [['a', 'q " b \\ n \n']], Infinity, undefined]],
    ['m{a="ends in backslash \\\\"} 2', ['m', [['a', 'ends in backslash \\']], 2, undefined]],
    ['m{a="{not=\\"labels\\"} 3"} 4', ['m', [['a', '{not="labels"} 3']], 4, undefined]],
    ['m 7 1700000000000', ['m', [], 7, 1_700_000_000_000]],
  ])('reads %s', (line, expected) => {
    expect(readAll(`${line}\n`)).toEqual({ samples: [expected], invalid: 0 });
  });

  it('reads NaN, and keys a series by its bytes as written', () => {
    const cursor = new PushSeries().read(Buffer.from('m{a="b"} NaN\n'));
    expect(cursor.next()).toBe(true);
    expect(cursor.value).toBeNaN();
    expect(cursor.row!.key.toString('utf8', cursor.row!.keyOff, cursor.row!.keyOff + cursor.row!.keyLen)).toBe(
      'm{a="b"}',
    );
  });

  it('reads what the general parser reads, and counts the lines it cannot read', () => {
    const text =
      '# HELP m M.\n# TYPE m gauge\nm{a="1"} 1\n\nm {a="2"}  2\nbroken{ 3\nm{a="3"} three\nm{a="4"} 4 -1\nm{a="5"} 5\n';
    const general = parseExposition(text, 'text').families.flatMap((f) =>
      f.samples.map((s) => [s.name, s.labels, s.value, s.timestampMs]),
    );
    expect(readAll(text)).toEqual({ samples: general, invalid: 3 });
  });

  it('counts the sample lines left without reading them', () => {
    const body = Buffer.from('# TYPE m gauge\nm{a="1"} 1\n\nm{a="2"} 2\nm{a="3"} 3\n');
    const cursor = new PushSeries().read(body);
    expect(cursor.next()).toBe(true);
    expect(cursor.countRest()).toBe(2);
    expect(countSamples(body)).toBe(3);
  });

  it('compacts the encoded labels once most belong to series gone, and the live records keep their bytes', () => {
    const table = new PushSeries();
    const value = 'v'.repeat(200);
    const text = (from: number, to: number) =>
      `${Array.from({ length: to - from }, (_, i) => `m{a="${from + i}",b="${value}"} 1`).join('\n')}\n`;
    /** Reads a push, encoding each new series as served: each series' encoded bytes, and the chunks they are in. */
    const push = (body: string) => {
      const bytes = new Map<string, string>();
      const chunks = new Set<Buffer>();
      for (const cursor = table.read(Buffer.from(body)); cursor.next();) {
        const row = cursor.row!;
        const records = table.recordsOf(row);
        const record = (records[0] ??= table.encodeServed(row))!;
        bytes.set(
          row.key.toString('utf8', row.keyOff, row.keyOff + row.keyLen),
          record.labels.toString('hex', record.start, record.end),
        );
        chunks.add(record.labels);
      }
      table.sweep();
      return { bytes, chunks };
    };
    // 30,000 series of ~220 encoded bytes: over the 4 MiB below which nothing is compacted.
    const first = push(text(0, 30_000));
    expect(first.chunks.size).toBeGreaterThan(4);
    // Two thirds gone: this push's sweep compacts, so the next push finds its records in other chunks.
    const survivors = text(20_000, 30_000);
    const second = push(survivors);
    const third = push(survivors);
    expect([...third.chunks].filter((chunk) => second.chunks.has(chunk))).toEqual([]);
    expect(third.bytes.size).toBe(10_000);
    for (const [series, hex] of third.bytes) expect(hex).toBe(first.bytes.get(series));
  });

  it('sweeps in steps when given a deadline, and ends the same as a sweep in one go', () => {
    const lines = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => `m{i="${from + i}"} 1`).join('\n');
    const stepped = new PushSeries();
    const whole = new PushSeries();
    for (const table of [stepped, whole]) {
      for (const cursor = table.read(Buffer.from(`${lines(0, 5000)}\n`)); cursor.next(););
      table.sweep();
      // Half the series gone.
      for (const cursor = table.read(Buffer.from(`${lines(2500, 5000)}\n`)); cursor.next(););
    }
    let steps = 1;
    // A deadline already passed: one clock check's worth of rows per step.
    while (!stepped.sweep(0)) steps++;
    whole.sweep();
    expect(steps).toBeGreaterThan(1);
    expect(stepped.size).toBe(2500);
    expect(whole.size).toBe(2500);
    // A push read before a sweep was finished finishes it first.
    for (const cursor = stepped.read(Buffer.from(`${lines(0, 10)}\n`)); cursor.next(););
    expect(stepped.sweep(0)).toBe(false);
    for (const cursor = stepped.read(Buffer.from(`${lines(0, 10)}\n`)); cursor.next(););
    stepped.sweep();
    expect(stepped.size).toBe(10);
  });

  it('keeps one row per live series across pushes, in or out of order, and forgets the ones a push did not see', () => {
    const table = new PushSeries();
    const lines = Array.from({ length: 50 }, (_, i) => `m{i="${i}"} ${i}`);
    const first = readAll(`${lines.join('\n')}\n`, table);
    const rows = new Set<unknown>();
    const cursor = table.read(Buffer.from(`${lines.join('\n')}\n`));
    while (cursor.next()) rows.add(cursor.row);
    table.sweep();
    expect(rows.size).toBe(50);
    expect(table.size).toBe(50);
    // Reversed, with one series gone and one new: the same rows, found by hash where the order breaks.
    const next = [...lines.slice(1).reverse(), 'm{i="new"} 7'];
    const again = new Set<unknown>();
    const moved = table.read(Buffer.from(`${next.join('\n')}\n`));
    while (moved.next()) again.add(moved.row);
    table.sweep();
    expect(again.size).toBe(50);
    expect([...again].filter((row) => rows.has(row))).toHaveLength(49);
    expect(table.size).toBe(50);
    expect(readAll(`${next.join('\n')}\n`, table).samples).toEqual(readAll(`${next.join('\n')}\n`).samples);
    expect(first.samples).toHaveLength(50);
  });

  const exposition = resolve(__dirname, '../testdata/exposition');
  const CREATED_AT = Date.UTC(2026, 0, 1);
  const inputs: Array<[string, string]> = [
    ...readdirSync(exposition)
      .filter((f) => f.endsWith('.prom'))
      .map((f): [string, string] => [f, readFileSync(resolve(exposition, f), 'utf8')]),
    ...[1, 7, 11].map((seed): [string, string] => [
      `demo seed ${seed}`,
      renderBasetenMetrics(buildFleet({ deployments: 6, seed, createdAtMs: CREATED_AT }), CREATED_AT + 3_600_000),
    ]),
  ];

  it('has inputs to agree on', () => {
    expect(inputs.length).toBeGreaterThan(5);
  });

  it.each(inputs)('agrees with the general parser on %s as our renderer serves it', (_name, text) => {
    const body = renderText(parseExposition(text, 'text').families);
    const general = parseExposition(body, 'text').families.flatMap((f) =>
      f.samples.map((s) => [s.name, s.labels, s.value, s.timestampMs]),
    );
    expect(readAll(body)).toEqual({ samples: general, invalid: 0 });
  });
});
