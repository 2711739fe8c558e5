/**
 * The exposition fixtures: inputs are `<case>.prom` (text 0.0.4) and `<case>.om` (OpenMetrics) in
 * test/testdata/exposition/; the rendering of input `<file>` is checked in as `<file>.text.golden`
 * and `<file>.openmetrics.golden`. To rewrite the goldens after a deliberate change, run
 * `UPDATE_GOLDEN=1 npx vitest run test/exposition` and review the diff.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExpositionFormat } from '../../src/exposition/index.js';
import { updatingGoldens } from '../helpers/golden.js';
import { atLeast } from '../helpers/cases.js';

export const FIXTURE_DIR = fileURLToPath(new URL('../testdata/exposition/', import.meta.url));

export interface Fixture {
  file: string;
  format: ExpositionFormat;
  body: string;
}

function read(file: string): string {
  return readFileSync(join(FIXTURE_DIR, file), 'utf8');
}

/** The input fixtures, in file-name order. */
export function inputFixtures(): Fixture[] {
  const files = readdirSync(FIXTURE_DIR).filter((file) => file.endsWith('.prom') || file.endsWith('.om'));
  return atLeast(8, files.sort(), 'input fixtures').map((file) => ({
    file,
    format: file.endsWith('.om') ? 'openmetrics' : 'text',
    body: read(file),
  }));
}

export function goldenFile(input: string, rendered: ExpositionFormat): string {
  return `${input}.${rendered}.golden`;
}

/** The golden fixtures, as bodies in the format they hold. */
export function goldenFixtures(): Fixture[] {
  return atLeast(
    16,
    readdirSync(FIXTURE_DIR)
      .filter((file) => file.endsWith('.golden'))
      .sort(),
    'golden fixtures',
  ).map((file) => ({ file, format: file.endsWith('.openmetrics.golden') ? 'openmetrics' : 'text', body: read(file) }));
}

/** The checked-in golden; with UPDATE_GOLDEN=1, `actual` is written first. */
export function readGolden(file: string, actual: string): string | undefined {
  const path = join(FIXTURE_DIR, file);
  if (updatingGoldens()) writeFileSync(path, actual);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}
