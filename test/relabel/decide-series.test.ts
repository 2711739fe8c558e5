/** The one "can this series be served" decision, case by case. */
import { describe, expect, it } from 'vitest';
import type { LabelPairs } from '../../src/exposition/model.js';
import { compileRelabelConfigs, decideSeries, describeNotServed } from '../../src/relabel/index.js';

const input: LabelPairs = [
  ['model_name', 'whisper'],
  ['replica', 'r1'],
];

describe('decideSeries', () => {
  it.each([
    [
      'no rules: kept, labels sorted',
      [],
      {
        kept: true,
        name: 'm',
        labels: [
          ['model_name', 'whisper'],
          ['replica', 'r1'],
        ],
      },
    ],
    [
      'a drop rule',
      [{ action: 'drop', source_labels: ['__name__'], regex: 'm' }],
      { kept: false, reason: 'relabel', rule: 0 },
    ],
    [
      'an invalid target label: kept by the rules, not servable, blamed on the rule',
      [
        { action: 'keep', source_labels: ['__name__'], regex: '.*' },
        { target_label: 'bad-name', replacement: 'x' },
      ],
      { kept: false, reason: 'invalid_name', invalid: { kind: 'label_name', name: 'bad-name' }, rule: 1 },
    ],
    [
      'a rename to an invalid metric name',
      [{ target_label: '__name__', replacement: 'a-b' }],
      { kept: false, reason: 'invalid_name', invalid: { kind: 'metric_name', name: 'a-b' }, rule: 0 },
    ],
    [
      '__name__ removed',
      [{ action: 'labeldrop', regex: '__name__' }],
      { kept: false, reason: 'invalid_name', invalid: { kind: 'no_name' }, rule: 0 },
    ],
  ])('%s', (_what, rules, expected) => {
    expect(decideSeries('m', input, compileRelabelConfigs(rules))).toEqual(expected);
  });

  it('blames no rule when the input itself carries the unservable name', () => {
    expect(decideSeries('m', [['a.b', 'x']], compileRelabelConfigs([]))).toEqual({
      kept: false,
      reason: 'invalid_name',
      invalid: { kind: 'label_name', name: 'a.b' },
    });
  });

  it('says the verdict in words', () => {
    const decision = decideSeries('m', input, compileRelabelConfigs([{ target_label: 'bad-name', replacement: 'x' }]));
    expect(decision.kept ? 'kept' : describeNotServed(decision)).toBe(
      'not served: label name "bad-name" cannot be written in text format 0.0.4 (use [a-zA-Z_][a-zA-Z0-9_]*) (rule 0)',
    );
  });
});
