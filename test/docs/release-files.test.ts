/**
 * LICENSE is the license package.json names, whole; CHANGELOG.md keeps the Keep a Changelog shape, opens with
 * Unreleased and names no version past the package's (0.1.0 is not released yet: no notes for versions that
 * never existed).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; license: string };
const LICENSE = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
const CHANGELOG = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');

/** The semver order of two x.y.z versions. */
const compare = (a: string, b: string) => {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  return x!.map((n, i) => n - y![i]!).find((d) => d !== 0) ?? 0;
};

describe('release files', () => {
  it('LICENSE is the whole Apache License 2.0 text, as package.json says', () => {
    expect(PKG.license).toBe('Apache-2.0');
    expect(LICENSE).toMatch(/^\s*Apache License\n\s*Version 2\.0, January 2004\n/);
    for (let section = 1; section <= 9; section++) expect(LICENSE).toMatch(new RegExp(`^\\s*${section}\\. [A-Z]`, 'm'));
    expect(LICENSE).toContain('END OF TERMS AND CONDITIONS');
  });

  it("CHANGELOG.md opens with Unreleased and names no version past package.json's", () => {
    const headings = [...CHANGELOG.matchAll(/^## \[([^\]]+)\]/gm)].map(([, name]) => name!);
    expect(headings[0]).toBe('Unreleased');
    for (const version of headings.slice(1)) expect(compare(version, PKG.version), version).toBeLessThanOrEqual(0);
    expect(CHANGELOG).toContain('[Keep a Changelog]');
    for (const heading of CHANGELOG.matchAll(/^### (.+)$/gm))
      expect(['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security']).toContain(heading[1]);
  });
});
