/** relabelWithTrace: same result as relabel on every data-file case, plus the steps that led there. */
import { describe, expect, it } from 'vitest';
import { compileRelabelConfigs, relabel, relabelWithTrace } from '../../src/relabel/index.js';
import { loadCases, sortedObject } from './case-files.js';
import { atLeast } from '../helpers/cases.js';

describe('relabelWithTrace', () => {
  it.each(atLeast(99, loadCases(), 'relabel cases'))('$name: agrees with relabel', ({ input, rules }) => {
    const compiled = compileRelabelConfigs(rules);
    const trace = relabelWithTrace(input, compiled);
    expect(sortedObject(trace.result)).toEqual(sortedObject(relabel(input, compiled)));
    const last = trace.steps.at(-1);
    if (trace.result === null) {
      expect(last?.labels).toBeNull();
      expect(trace.droppedBy).toBe(last?.index);
    } else {
      expect(trace.steps).toHaveLength(compiled.rules.length);
      expect(trace.droppedBy).toBeUndefined();
    }
  });

  it('records the labels after each rule and which rule dropped the series', () => {
    const rules = compileRelabelConfigs([
      { target_label: 'env', replacement: 'prod' },
      { source_labels: ['env'], regex: 'prod', action: 'Drop' },
      { target_label: 'never', replacement: 'x' },
    ]);
    const trace = relabelWithTrace(new Map([['__name__', 'm']]), rules);
    expect(trace.steps).toEqual([
      {
        index: 0,
        action: 'replace',
        labels: new Map([
          ['__name__', 'm'],
          ['env', 'prod'],
        ]),
      },
      { index: 1, action: 'drop', labels: null },
    ]);
    expect(trace.result).toBeNull();
    expect(trace.droppedBy).toBe(1);
  });

  it('gives each step its own copy', () => {
    const rules = compileRelabelConfigs([
      { target_label: 'a', replacement: '1' },
      { target_label: 'a', replacement: '2' },
    ]);
    const trace = relabelWithTrace(new Map(), rules);
    expect(trace.steps.map((s) => s.labels?.get('a'))).toEqual(['1', '2']);
  });
});
