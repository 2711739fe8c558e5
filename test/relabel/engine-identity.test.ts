/**
 * The identity attached to an engine's series: which series state it (platform series with deployment_id,
 * model_id and model_name), which get it (vllm:*, sglang:*), and how a colliding engine label is kept, as
 * Prometheus keeps an exposed label that collides with a target's (scrape/scrape.go
 * resolveConflictingExposedLabels: exported_, then exported_exported_… while taken, shortest names first).
 */
import { describe, expect, it } from 'vitest';
import type { LabelPairs } from '../../src/exposition/index.js';
import {
  attachIdentity,
  identitiesOf,
  isEngineSeries,
  platformIdentity,
  withIdentity,
} from '../../src/relabel/index.js';

const ID = { model_id: 'abc123', model_name: 'Llama 3.1 "70B"', environment: 'production' };
const sorted = (labels: LabelPairs) => Object.fromEntries([...labels].sort(([a], [b]) => (a < b ? -1 : 1)));

describe('isEngineSeries', () => {
  it.each([
    ['vllm:num_requests_running', true],
    ['sglang:token_usage', true],
    ['vllm:time_to_first_token_seconds_bucket', true],
    ['baseten_inference_requests_total', false],
    ['vllm_requests', false],
  ])('%s → %s', (name, engine) => expect(isEngineSeries(name)).toBe(engine));
});

describe('platformIdentity', () => {
  it.each<[string, LabelPairs, ReturnType<typeof platformIdentity>]>([
    [
      'a platform series',
      [
        ['model_id', 'abc123'],
        ['model_name', 'm'],
        ['deployment_id', 'd1'],
        ['environment', 'production'],
        ['replica', 'r'],
      ],
      { deploymentId: 'd1', identity: { model_id: 'abc123', model_name: 'm', environment: 'production' } },
    ],
    [
      'no environment (a development deployment)',
      [
        ['model_id', 'abc123'],
        ['model_name', 'm'],
        ['deployment_id', 'd1'],
      ],
      { deploymentId: 'd1', identity: { model_id: 'abc123', model_name: 'm' } },
    ],
    [
      'an empty environment is none',
      [
        ['model_id', 'abc123'],
        ['model_name', 'm'],
        ['deployment_id', 'd1'],
        ['environment', ''],
      ],
      { deploymentId: 'd1', identity: { model_id: 'abc123', model_name: 'm' } },
    ],
    [
      'no model_id',
      [
        ['model_name', 'm'],
        ['deployment_id', 'd1'],
      ],
      undefined,
    ],
    [
      'no deployment_id',
      [
        ['model_id', 'abc123'],
        ['model_name', 'm'],
      ],
      undefined,
    ],
  ])('%s', (_name, labels, expected) => expect(platformIdentity('baseten_replicas_active', labels)).toEqual(expected));

  it("an engine's series states nothing, whatever labels it has", () => {
    expect(
      platformIdentity('vllm:num_requests_running', [
        ['model_id', 'x'],
        ['model_name', 'm'],
        ['deployment_id', 'd1'],
      ]),
    ).toBeUndefined();
  });
});

describe('attachIdentity', () => {
  it.each<[string, LabelPairs, Record<string, string>, Array<[string, string]>]>([
    [
      'the relay shape without engine labels',
      [
        ['deployment_id', 'd1'],
        ['replica', 'r1'],
      ],
      {
        deployment_id: 'd1',
        environment: 'production',
        model_id: 'abc123',
        model_name: 'Llama 3.1 "70B"',
        replica: 'r1',
      },
      [],
    ],
    [
      "the engine's model_name is kept as exported_model_name",
      [
        ['deployment_id', 'd1'],
        ['replica', 'r1'],
        ['model_name', 'meta-llama/Llama-3.1-70B-Instruct'],
        ['engine', '0'],
      ],
      {
        deployment_id: 'd1',
        engine: '0',
        environment: 'production',
        exported_model_name: 'meta-llama/Llama-3.1-70B-Instruct',
        model_id: 'abc123',
        model_name: 'Llama 3.1 "70B"',
        replica: 'r1',
      },
      [['model_name', 'exported_model_name']],
    ],
    [
      'exported_model_name taken: exported_exported_model_name',
      [
        ['model_name', 'served'],
        ['exported_model_name', 'other'],
      ],
      {
        environment: 'production',
        exported_exported_model_name: 'served',
        exported_model_name: 'other',
        model_id: 'abc123',
        model_name: 'Llama 3.1 "70B"',
      },
      [['model_name', 'exported_exported_model_name']],
    ],
    [
      'an empty engine label is absent: nothing to keep',
      [
        ['model_name', ''],
        ['replica', 'r1'],
      ],
      { environment: 'production', model_id: 'abc123', model_name: 'Llama 3.1 "70B"', replica: 'r1' },
      [],
    ],
    [
      'the same value collides too, as in Prometheus',
      [['environment', 'production']],
      {
        environment: 'production',
        exported_environment: 'production',
        model_id: 'abc123',
        model_name: 'Llama 3.1 "70B"',
      },
      [['environment', 'exported_environment']],
    ],
  ])('%s', (_name, labels, expected, renamed) => {
    const attached = attachIdentity(labels, ID);
    expect(sorted(attached.labels)).toEqual(expected);
    expect(attached.renamed).toEqual(renamed);
    expect(attached.set).toEqual([
      ['model_id', 'abc123'],
      ['model_name', 'Llama 3.1 "70B"'],
      ['environment', 'production'],
    ]);
  });

  it('a deployment without an environment: none attached, an engine environment label stays', () => {
    expect(sorted(attachIdentity([['environment', 'x']], { model_id: 'a', model_name: 'm' }).labels)).toEqual({
      environment: 'x',
      model_id: 'a',
      model_name: 'm',
    });
  });
});

describe('identitiesOf and withIdentity: pasted series as the pipeline reads a body', () => {
  const pasted = [
    {
      name: 'vllm:num_requests_waiting',
      labels: [
        ['deployment_id', 'd1'],
        ['replica', 'r1'],
      ] as LabelPairs,
    },
    {
      name: 'baseten_replicas_active',
      labels: [
        ['deployment_id', 'd1'],
        ['model_id', 'abc123'],
        ['model_name', 'first'],
        ['environment', 'production'],
      ] as LabelPairs,
    },
    {
      name: 'baseten_replicas_starting',
      labels: [
        ['deployment_id', 'd1'],
        ['model_id', 'abc123'],
        ['model_name', 'second'],
      ] as LabelPairs,
    },
  ];

  it('the first platform series of a deployment wins, wherever the engine series are', () => {
    expect([...identitiesOf(pasted)]).toEqual([
      ['d1', { model_id: 'abc123', model_name: 'first', environment: 'production' }],
    ]);
  });

  it('attaches to engine series of known deployments only', () => {
    const identities = identitiesOf(pasted);
    expect(withIdentity('vllm:num_requests_waiting', [['deployment_id', 'd1']], identities)).toMatchObject({
      attached: { deploymentId: 'd1' },
    });
    expect(withIdentity('vllm:num_requests_waiting', [['deployment_id', 'd2']], identities)).toEqual({
      labels: [['deployment_id', 'd2']],
    });
    expect(withIdentity('baseten_replicas_active', pasted[1]!.labels, identities)).toEqual({
      labels: pasted[1]!.labels,
    });
  });
});
