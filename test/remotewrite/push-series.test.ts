import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFleet, renderBasetenMetrics } from '../../src/demo/index.js';
import { parseExposition, renderText } from '../../src/exposition/index.js';
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
    ['m{a="x y",b=""} -Inf', ['m', [['a', 'x y'], ['b', '']], -Infinity, undefined]],
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
    expect(cursor.row!.key.toString('utf8', cursor.row!.keyOff, cursor.row!.keyOff + cursor.row!.keyLen)).toBe('m{a="b"}');
  });

  it('reads what the general parser reads, and counts the lines it cannot read', () => {
    const text = '# HELP m M.\n# TYPE m gauge\nm{a="1"} 1\n\nm {a="2"}  2\nbroken{ 3\nm{a="3"} three\nm{a="4"} 4 -1\nm{a="5"} 5\n';
    const general = parseExposition(text, 'text').families.flatMap((f) => f.samples.map((s) => [s.name, s.labels, s.value, s.timestampMs]));
    expect(readAll(text)).toEqual({ samples: general, invalid: 3 });
  });

  it('counts the sample lines left without reading them', () => {
    const body = Buffer.from('# TYPE m gauge\nm{a="1"} 1\n\nm{a="2"} 2\nm{a="3"} 3\n');
    const cursor = new PushSeries().read(body);
    expect(cursor.next()).toBe(true);
    expect(cursor.countRest()).toBe(2);
    expect(countSamples(body)).toBe(3);
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
    ...[1, 7, 11].map((seed): [string, string] => [`demo seed ${seed}`, renderBasetenMetrics(buildFleet({ deployments: 6, seed, createdAtMs: CREATED_AT }), CREATED_AT + 3_600_000)]),
  ];

  it('has inputs to agree on', () => {
    expect(inputs.length).toBeGreaterThan(5);
  });

  it.each(inputs)('agrees with the general parser on %s as our renderer serves it', (_name, text) => {
    const body = renderText(parseExposition(text, 'text').families);
    const general = parseExposition(body, 'text').families.flatMap((f) => f.samples.map((s) => [s.name, s.labels, s.value, s.timestampMs]));
    expect(readAll(body)).toEqual({ samples: general, invalid: 0 });
  });
});
