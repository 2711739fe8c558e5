/**
 * No import cycle in src/, of any length: two modules that import each other are one concept cut in two, and a
 * cycle makes the order modules load in matter. Every static `import` and `export … from` counts, type-only ones
 * included (they held the last circles), as TypeScript's own pre-processor reads them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');

/** Each module of src/ (its path from src/) → the modules of src/ it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(SRC, file), 'utf8'), true, true);
    const imports = importedFiles
      .map((ref) => ref.fileName)
      .filter((name) => name.startsWith('.'))
      // NodeNext specifiers name the emitted .js file; the module is its .ts source.
      .map((name) => relative(SRC, resolve(SRC, dirname(file), name)).replace(/\.js$/, '.ts'));
    graph.set(file, imports);
  }
  return graph;
}

/** A cycle for each import that closes one in a depth-first walk, as `a.ts → b.ts → a.ts`; none when acyclic. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string): void => {
    const at = path.indexOf(file);
    if (at >= 0) found.push([...path.slice(at), file].join(' → '));
    if (at >= 0 || done.has(file)) return;
    path.push(file);
    for (const next of graph.get(file) ?? []) visit(next);
    path.pop();
    done.add(file);
  };
  for (const file of [...graph.keys()].sort()) visit(file);
  return found;
}

describe('imports of src/', () => {
  const graph = importGraph();

  it('form no cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('are all read, type-only imports and re-exports included', () => {
    expect(graph.size).toBeGreaterThan(200);
    // `import type { OutSeries } from './series-cache.js'` is the only import of departed.ts.
    expect(graph.get('snapshot/departed.ts')).toEqual(['snapshot/series-cache.ts']);
    // `export { createLogger, … } from './logger.js'`.
    expect(graph.get('log/index.ts')).toContain('log/logger.ts');
  });

  it.each<[string, Array<[string, string[]]>, string[]]>([
    [
      'none',
      [
        ['a.ts', ['b.ts']],
        ['b.ts', []],
      ],
      [],
    ],
    [
      'two files',
      [
        ['a.ts', ['b.ts']],
        ['b.ts', ['a.ts']],
      ],
      ['a.ts → b.ts → a.ts'],
    ],
    [
      'three files',
      [
        ['a.ts', ['b.ts']],
        ['b.ts', ['c.ts']],
        ['c.ts', ['a.ts']],
      ],
      ['a.ts → b.ts → c.ts → a.ts'],
    ],
    ['a file that imports itself', [['a.ts', ['a.ts']]], ['a.ts → a.ts']],
  ])('the walk names a cycle: %s', (_, edges, expected) => {
    expect(cycles(new Map(edges))).toEqual(expected);
  });
});
