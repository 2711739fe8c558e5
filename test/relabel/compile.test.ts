/**
 * Configuration checks: every fixture in test/testdata/relabel/invalid/ pins the exact problems reported
 * (all of them, not only the first), and every fixture in valid/ pins the rules as they take effect.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileRelabelConfigs, relabel, RelabelConfigError } from '../../src/relabel/index.js';
import { loadInvalidCases, TESTDATA } from './case-files.js';
import { atLeast } from '../helpers/cases.js';

const invalid = atLeast(28, loadInvalidCases(), 'invalid relabel cases');
const valid = atLeast(
  4,
  readdirSync(`${TESTDATA}valid`)
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .map((file) => ({
      name: file.replace(/\.yml$/, ''),
      doc: parse(readFileSync(`${TESTDATA}valid/${file}`, 'utf8')) as Record<string, unknown>,
    })),
  'valid relabel files',
);

function problemsOf(raw: unknown, path?: string): string[] {
  try {
    compileRelabelConfigs(raw, path);
  } catch (error) {
    if (error instanceof RelabelConfigError) return error.problems;
    throw error;
  }
  throw new Error('compiled without error');
}

describe('compileRelabelConfigs rejects invalid rules', () => {
  it.each(invalid)('$name', ({ rules, problems }) => {
    expect(problemsOf(rules)).toEqual(problems);
  });

  it('throws a RelabelConfigError whose message lists every problem', () => {
    const fixture = invalid.find((c) => c.name === 'invalid-every-rule-reported');
    let caught: unknown;
    try {
      compileRelabelConfigs(fixture?.rules);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RelabelConfigError);
    const error = caught as RelabelConfigError;
    expect(error.name).toBe('RelabelConfigError');
    expect(error.problems).toHaveLength(4);
    expect(error.message.startsWith('relabel: 4 problems in rules\n')).toBe(true);
    for (const problem of error.problems) expect(error.message).toContain(problem);
  });

  it('prefixes problems with the given YAML path', () => {
    expect(problemsOf([{ action: 'hashmod', target_label: 's' }], 'scrape.rules')).toEqual([
      'scrape.rules[0].modulus: relabel configuration for hashmod requires ' +
        'non-zero modulus (set modulus to the number of shards, e.g. modulus: 8)',
    ]);
  });
});

describe('compileRelabelConfigs accepts valid rules', () => {
  it.each(valid)('$name', ({ doc }) => {
    expect(compileRelabelConfigs(doc.rules).source).toEqual(doc.source);
  });

  it('treats undefined as no rules', () => {
    const compiled = compileRelabelConfigs(undefined);
    expect(compiled.rules).toEqual([]);
    expect(relabel(new Map([['__name__', 'm']]), compiled)).toEqual(new Map([['__name__', 'm']]));
  });

  it('accepts a uint64 modulus parsed as a BigInt', () => {
    const doc = parse('- {source_labels: [a], target_label: s, action: hashmod, modulus: 18446744073709551615}', {
      intAsBigInt: true,
    });
    const out = relabel(new Map([['a', 'baz']]), compileRelabelConfigs(doc));
    // python3: int.from_bytes(hashlib.md5(b"baz").digest()[8:], "big") % (2**64 - 1)
    expect(out?.get('s')).toBe('16450797887570275976');
  });
});
