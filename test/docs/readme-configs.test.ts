/**
 * Every config example in the README loads: the YAML blocks that start with a top-level config key are read
 * by the bridge's own loader, with the files they name created beside them (as a user would).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildConfig, ConfigError } from '../../src/config/index.js';

const README = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
const TOP_LEVEL = /^(upstream|targets|remote_write|metric_relabel_configs):/m;
const blocks = [...README.matchAll(/```yaml\n([\s\S]*?)```/g)]
  .map((m) => m[1]!)
  .filter((text) => TOP_LEVEL.test(text.split('\n')[0]!));

/** Relative file paths under `*_file` keys (the loader checks that they can be read). */
function filesNamed(value: unknown, out: Array<[string, string]> = []): Array<[string, string]> {
  if (Array.isArray(value)) for (const v of value) filesNamed(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.endsWith('_file') && typeof v === 'string') out.push([k, v]);
      else filesNamed(v, out);
    }
  }
  return out;
}

describe('README config examples', () => {
  it('has the examples of every section', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    expect(blocks.some((b) => b.startsWith('targets:'))).toBe(true);
    expect(blocks.some((b) => b.includes('remote_write:'))).toBe(true);
  });

  it.each(blocks.map((b) => [b.split('\n')[0]!, b] as const))('%s … loads', (_first, text) => {
    const dir = mkdtempSync(join(tmpdir(), 'readme-config-'));
    const raw = parse(text) as unknown;
    for (const [key, path] of filesNamed(raw)) {
      if (isAbsolute(path)) continue;
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), `${key}: a file the example names\n`);
    }
    try {
      buildConfig(raw, 'README.md', dir);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      // Absolute paths in the reference block point at the reader's machine; every other problem is real.
      const real = err.problems.filter((p) => !/cannot read \//.test(p));
      expect(real).toEqual([]);
    }
  });
});
