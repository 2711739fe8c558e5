/**
 * docs/ARCHITECTURE.md stays a true map: every folder and root file of src/ has its entry, and no entry names one that
 * is gone.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const doc = readFileSync(resolve(ROOT, 'docs/ARCHITECTURE.md'), 'utf8');
const map = /## Data flow[^`]*```\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
const entries = [...map.matchAll(/^(src\/[a-z-]+(?:\/|\.ts))/gm)].map((m) => m[1]!);
const onDisk = readdirSync(resolve(ROOT, 'src'))
  .filter((name) => name !== 'version.ts')
  .map((name) => (statSync(resolve(ROOT, 'src', name)).isDirectory() ? `src/${name}/` : `src/${name}`));

describe('docs/ARCHITECTURE.md', () => {
  it('has a folder map', () => {
    expect(entries.length).toBeGreaterThan(10);
  });

  it('names every folder of src/ in its map', () => {
    const named = new Set(entries);
    expect(onDisk.filter((path) => !named.has(path) && !doc.includes(path))).toEqual([]);
  });

  it('names nothing that is gone', () => {
    expect(entries.filter((path) => !onDisk.includes(path))).toEqual([]);
  });
});
