/**
 * Engine identity in the snapshot builder, read off the served text: an engine series is served with its
 * deployment's model_id, model_name and environment (its own model_name as exported_model_name), before the
 * rules run; wherever in the body the platform series come; a deployment whose identity changes costs a
 * re-render of its engine series only, and one that does not costs nothing; a deployment without platform
 * series leaves its engine series as they came, counted; the switch turns it all off.
 */
import { describe, expect, it } from 'vitest';
import { compileRelabelConfigs } from '../../src/relabel/index.js';
import { SnapshotBuilder, type BuildSuccess } from '../../src/snapshot/index.js';
import { TEST_BUILD_OPTIONS } from '../helpers/snapshot.js';

const platform = (deployment: string, model: string, env = 'production', value = 1) =>
  `baseten_replicas_active{deployment_id="${deployment}",environment="${env}",` +
  `model_id="id-${model}",model_name="${model}"} ${value}`;
const engine = (deployment: string, replica: string, value = 1) =>
  `vllm:num_requests_running{deployment_id="${deployment}",engine="0",` +
  `model_name="meta-llama/Llama-3.1-8B-Instruct",replica="${replica}"} ${value}`;

function build(builder: SnapshotBuilder, lines: string[], at = 0): BuildSuccess {
  const result = builder.build(Buffer.from(`${lines.join('\n')}\n`), undefined, at);
  if (!result.ok) throw new Error(result.message);
  return result;
}
const engineLines = (result: BuildSuccess) =>
  result.snapshot.text
    .toString()
    .split('\n')
    .filter((l) => l.startsWith('vllm:'));

describe('engine identity in the builder', () => {
  it(
    'attaches the deployment identity, keeps the served model as ' +
      'exported_model_name, wherever the platform series come',
    () => {
      for (const order of ['platform first', 'engine first']) {
        const builder = new SnapshotBuilder(compileRelabelConfigs([]), TEST_BUILD_OPTIONS);
        const lines = [platform('d1', 'chat'), engine('d1', 'r1')];
        const result = build(builder, order === 'platform first' ? lines : lines.reverse());
        expect(engineLines(result), order).toEqual([
          'vllm:num_requests_running{deployment_id="d1",engine="0",' +
            'environment="production",' +
            'exported_model_name="meta-llama/Llama-3.1-8B-Instruct",' +
            'model_id="id-chat",model_name="chat",replica="r1"} 1',
        ]);
        expect(result.unidentified).toEqual({ series: 0, deployments: [] });
      }
    },
  );

  it('before the rules: a rule can keep a model by its Baseten name', () => {
    const builder = new SnapshotBuilder(
      compileRelabelConfigs([{ source_labels: ['__name__', 'model_name'], regex: 'vllm:.*;chat', action: 'drop' }]),
      TEST_BUILD_OPTIONS,
    );
    const result = build(builder, [
      platform('d1', 'chat'),
      platform('d2', 'code'),
      engine('d1', 'r1'),
      engine('d2', 'r2'),
    ]);
    expect(engineLines(result).map((l) => /[{,]model_name="([^"]*)"/.exec(l)?.[1])).toEqual(['code']);
  });

  it('costs nothing when no identity changed, and a re-render of the changed deployment only when one did', () => {
    const builder = new SnapshotBuilder(compileRelabelConfigs([]), TEST_BUILD_OPTIONS);
    const body = (model1: string, value: number) => [
      platform('d1', model1),
      platform('d2', 'code'),
      ...['r1', 'r2', 'r3'].map((r) => engine('d1', r, value)),
      ...['r4', 'r5'].map((r) => engine('d2', r, value)),
    ];
    const first = build(builder, body('chat', 1));
    expect(first.identities).toEqual([
      ['d1', { model_id: 'id-chat', model_name: 'chat', environment: 'production' }],
      ['d2', { model_id: 'id-code', model_name: 'code', environment: 'production' }],
    ]);
    const same = build(builder, body('chat', 2));
    expect([same.newSeries, same.identityChanges, same.identities]).toEqual([0, 0, undefined]);
    // d1's model is renamed: its platform series are new series, its three engine series are decided again.
    const renamed = build(builder, body('chat-v2', 3));
    expect([renamed.newSeries, renamed.identityChanges]).toEqual([1, 3]);
    expect(engineLines(renamed).filter((l) => l.includes('model_name="chat-v2"'))).toHaveLength(3);
    expect(engineLines(renamed).filter((l) => l.includes('model_name="code"'))).toHaveLength(2);
    expect(renamed.identities?.find(([d]) => d === 'd1')).toEqual([
      'd1',
      { model_id: 'id-chat-v2', model_name: 'chat-v2', environment: 'production' },
    ]);
  });

  it(
    'a deployment without platform series in the body: its engine series ' +
      'as they came, counted, and the identity back when they return',
    () => {
      const builder = new SnapshotBuilder(compileRelabelConfigs([]), TEST_BUILD_OPTIONS);
      build(builder, [platform('d1', 'chat'), engine('d1', 'r1'), engine('d9', 'r9')]);
      const without = build(builder, [
        engine('d1', 'r1', 2),
        engine('d9', 'r9', 2),
        'vllm:num_requests_waiting{replica="x"} 0',
      ]);
      expect(engineLines(without)).toEqual([
        'vllm:num_requests_running{deployment_id="d1",engine="0",' +
          'model_name="meta-llama/Llama-3.1-8B-Instruct",replica="r1"} 2',
        'vllm:num_requests_running{deployment_id="d9",engine="0",' +
          'model_name="meta-llama/Llama-3.1-8B-Instruct",replica="r9"} 2',
        'vllm:num_requests_waiting{replica="x"} 0',
      ]);
      expect(without.unidentified).toEqual({ series: 3, deployments: ['', 'd1', 'd9'] });
      expect(without.identities).toEqual([]);
      const back = build(builder, [platform('d1', 'chat'), engine('d1', 'r1', 3)]);
      expect(engineLines(back)[0]).toContain('model_name="chat"');
      expect(back.identityChanges).toBe(1);
    },
  );

  it('the first platform series of a deployment in the body says who it is', () => {
    const builder = new SnapshotBuilder(compileRelabelConfigs([]), TEST_BUILD_OPTIONS);
    const result = build(builder, [
      engine('d1', 'r1'),
      platform('d1', 'first', 'staging'),
      platform('d1', 'second', 'production'),
    ]);
    expect(engineLines(result)[0]).toContain('environment="staging"');
    expect(engineLines(result)[0]).toContain('model_name="first"');
  });

  it('off: engine series are served as they came, nothing counted', () => {
    const builder = new SnapshotBuilder(compileRelabelConfigs([]), { ...TEST_BUILD_OPTIONS, engineIdentity: false });
    const result = build(builder, [platform('d1', 'chat'), engine('d1', 'r1')]);
    expect(engineLines(result)).toEqual([
      'vllm:num_requests_running{deployment_id="d1",engine="0",' +
        'model_name="meta-llama/Llama-3.1-8B-Instruct",replica="r1"} 1',
    ]);
    expect([result.unidentified, result.identities]).toEqual([{ series: 0, deployments: [] }, undefined]);
  });
});
