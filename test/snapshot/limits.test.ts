import { describe, expect, it } from 'vitest';
import type { MetricFamily } from '../../src/exposition/model.js';
import { checkLimits, type ScrapeLimits } from '../../src/snapshot/index.js';

const families: MetricFamily[] = [
  {
    name: 'baseten_replicas_active',
    type: 'gauge',
    samples: [
      {
        name: 'baseten_replicas_active',
        labels: [
          ['model_name', 'Llama 3.1 "70B"'],
          ['deployment_id', 'abc'],
        ],
        value: 2,
      },
      {
        name: 'baseten_replicas_active',
        labels: [
          ['model_name', '模型'],
          ['deployment_id', 'def'],
        ],
        value: 1,
      },
    ],
  },
];
const none: ScrapeLimits = { sampleLimit: 0, labelLimit: 0, labelNameLengthLimit: 0, labelValueLengthLimit: 0 };

describe('checkLimits (Prometheus semantics)', () => {
  it.each<[string, Partial<ScrapeLimits>, string | undefined]>([
    ['no limits', {}, undefined],
    ['sample_limit at the count', { sampleLimit: 2 }, undefined],
    ['sample_limit below the count', { sampleLimit: 1 }, 'sample_limit exceeded (2 series after relabeling, limit 1)'],
    [
      'label_limit counts __name__',
      { labelLimit: 2 },
      'label_limit exceeded (metric: baseten_replicas_active, number of labels: 3, limit: 2)',
    ],
    ['label_limit at the count', { labelLimit: 3 }, undefined],
    [
      'name length includes __name__',
      { labelNameLengthLimit: 8 },
      'label_name_length_limit exceeded (metric: baseten_replicas_active, ' +
        'label name: model_name, length: 10, limit: 8)',
    ],
    ['value length in UTF-8 bytes', { labelValueLengthLimit: 23 }, undefined],
    [
      'value length of __name__ counts',
      { labelValueLengthLimit: 22 },
      'label_value_length_limit exceeded (metric: baseten_replicas_active, ' +
        'label name: __name__, length: 23, limit: 22)',
    ],
  ])('%s', (_name, limits, message) => {
    expect(checkLimits(families, 2, { ...none, ...limits })?.message).toBe(message);
  });

  it('measures bytes, not characters', () => {
    const cjk: MetricFamily[] = [
      { name: 'x', type: 'gauge', samples: [{ name: 'x', labels: [['m', '模型']], value: 1 }] },
    ];
    expect(checkLimits(cjk, 1, { ...none, labelValueLengthLimit: 5 })?.reason).toBe('label_limit');
    expect(checkLimits(cjk, 1, { ...none, labelValueLengthLimit: 6 })).toBeUndefined();
  });
});
