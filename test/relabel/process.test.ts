/**
 * The behaviour table: every case of Prometheus's own TestRelabel (upstream-NN-*) and our own cases, each a
 * data file in test/testdata/relabel/cases/. The rules go through compileRelabelConfigs as production does.
 */
import { describe, expect, it } from 'vitest';
import { compileRelabelConfigs, relabel } from '../../src/relabel/index.js';
import { loadCases, sortedObject } from './case-files.js';

const cases = loadCases();

describe('relabel (data files)', () => {
  it('has every upstream TestRelabel case and at least 30 of our own', () => {
    expect(cases.filter((c) => c.name.startsWith('upstream-')).length).toBe(34);
    expect(cases.filter((c) => !c.name.startsWith('upstream-')).length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('$name', ({ input, rules, output }) => {
    const compiled = compileRelabelConfigs(rules);
    const frozen = new Map(input);
    const result = relabel(input, compiled);
    expect(sortedObject(result)).toEqual(sortedObject(output));
    expect(input).toEqual(frozen); // pure: the input is never modified
    if (result !== null) for (const value of result.values()) expect(value).not.toBe('');
  });
});
