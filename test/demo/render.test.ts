import { describe, expect, it } from 'vitest';
import { buildFleet, FAMILY_LIST, POD_HASH_LABEL, renderBasetenMetrics } from '../../src/demo/index.js';
import { parseText, type ParsedFamily } from './parse-text.js';
import { CREATED_AT, T_EVEN_MINUTE, T_ODD_MINUTE } from './fixtures.js';
import { atLeast } from '../helpers/cases.js';

/** BASETEN.md's table, copied independently of src/demo/families.ts: name, type, labels after STD. */
const BASETEN_TABLE: Array<[string, string, string[]]> = [
  ['baseten_inference_requests_total', 'counter', ['status_code', 'is_async']],
  ['baseten_end_to_end_response_time_seconds', 'histogram', ['status_code', 'is_async']],
  ['baseten_time_to_first_byte_seconds', 'histogram', ['status_code', 'is_async']],
  ['baseten_request_size_bytes', 'histogram', ['status_code', 'is_async']],
  ['baseten_response_size_bytes', 'histogram', ['status_code', 'is_async']],
  ['baseten_replicas_active', 'gauge', []],
  ['baseten_replicas_starting', 'gauge', []],
  ['baseten_concurrent_requests', 'gauge', []],
  ['baseten_ongoing_websocket_connections', 'gauge', []],
  ['baseten_container_cpu_usage_seconds_total', 'counter', ['replica']],
  ['baseten_container_cpu_memory_working_set_bytes', 'gauge', ['replica']],
  ['baseten_container_restarts_total', 'counter', []],
  ['baseten_pod_readiness', 'gauge', ['condition']],
  ['baseten_gpu_memory_used', 'gauge', ['replica', 'gpu']],
  ['baseten_gpu_utilization', 'gauge', ['replica', 'gpu']],
  ['baseten_async_queue_size', 'gauge', []],
  ['baseten_time_in_async_queue_seconds', 'histogram', []],
  ['baseten_async_webhook_requests_total', 'counter', []],
  ['baseten_async_webhook_latency_seconds', 'histogram', []],
  ['baseten_llm_input_tokens_total', 'counter', [POD_HASH_LABEL]],
  ['baseten_llm_output_tokens_total', 'counter', [POD_HASH_LABEL]],
  ['baseten_llm_input_tokens_per_request', 'histogram', [POD_HASH_LABEL]],
  ['baseten_llm_output_tokens_per_request', 'histogram', [POD_HASH_LABEL]],
  ['baseten_llm_tokens_per_second_per_request', 'histogram', [POD_HASH_LABEL]],
  ['baseten_llm_kv_cache_hit_rate', 'histogram', [POD_HASH_LABEL]],
  ['baseten_llm_spec_decode_num_accepted_tokens_total', 'counter', [POD_HASH_LABEL]],
  ['baseten_llm_spec_decode_num_draft_tokens_total', 'counter', [POD_HASH_LABEL]],
  ['baseten_llm_in_flight_tokens', 'gauge', [POD_HASH_LABEL]],
  ['baseten_llm_avg_in_flight_tokens', 'gauge', [POD_HASH_LABEL]],
  ['baseten_llm_num_requests', 'gauge', [POD_HASH_LABEL]],
];
const SPEC_DECODE = [
  'baseten_llm_spec_decode_num_accepted_tokens_total',
  'baseten_llm_spec_decode_num_draft_tokens_total',
];
const STD_REQUIRED = ['model_id', 'model_name', 'deployment_id'];
const STD_OPTIONAL = ['environment', 'rollout_phase'];

const demoFleet = buildFleet({ deployments: 6, seed: 1, createdAtMs: CREATED_AT });
const even = renderBasetenMetrics(demoFleet, T_EVEN_MINUTE);
const odd = renderBasetenMetrics(demoFleet, T_ODD_MINUTE);
const evenFamilies = parseText(even);
const oddFamilies = parseText(odd);

function family(families: Map<string, ParsedFamily>, name: string): ParsedFamily {
  const found = families.get(name);
  if (!found) throw new Error(`family ${name} missing`);
  return found;
}

describe('the families of BASETEN.md', () => {
  it('the catalogue is exactly the table (engine metrics excepted)', () => {
    expect(FAMILY_LIST.map((f) => [f.name, f.type, [...f.extraLabels]])).toEqual(BASETEN_TABLE);
  });

  it.each(BASETEN_TABLE)('%s is a %s with STD labels plus %j', (name, type, extra) => {
    const f = family(evenFamilies, name);
    expect(f.type).toBe(type);
    expect(f.help.length).toBeGreaterThan(10);
    expect(f.samples.length).toBeGreaterThan(0);
    for (const sample of f.samples) {
      const names = Object.keys(sample.labels);
      const expected = [...STD_REQUIRED, ...(names.includes('environment') ? STD_OPTIONAL : []), ...extra];
      if (sample.name.endsWith('_bucket')) expected.push('le');
      expect(names).toEqual(expected);
      expect(Number.isFinite(sample.value)).toBe(true);
    }
  });

  it.each(
    atLeast(
      28,
      BASETEN_TABLE.filter(([name]) => !SPEC_DECODE.includes(name)),
      'families present in odd minutes',
    ),
  )('%s is present in odd minutes too', (name) => {
    expect(family(oddFamilies, name).samples.length).toBeGreaterThan(0);
  });

  it.each(SPEC_DECODE)('%s comes and goes: absent, HELP and TYPE included, in odd minutes', (name) => {
    expect(oddFamilies.has(name)).toBe(false);
    expect(odd).not.toContain(name);
  });

  it("writes each family once, contiguously, HELP then TYPE then samples, the engines' after Baseten's own", () => {
    const order: string[] = [];
    for (const line of even.split('\n')) {
      const type = /^# TYPE (\S+)/.exec(line);
      if (type?.[1]) order.push(type[1]);
    }
    const engineFamilies = order.filter((name) => /^(vllm|sglang):/.test(name));
    expect(order).toEqual([...BASETEN_TABLE.map(([name]) => name), ...engineFamilies]);
    expect(engineFamilies.length).toBeGreaterThan(0);
    const sampleFamilies = even
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => /^([a-z0-9_:]+)/.exec(line)?.[1] ?? '')
      .map((name) => (order.includes(name) ? name : name.replace(/_(bucket|sum|count)$/, '')))
      .filter((name, i, all) => name !== all[i - 1]);
    // Collapsing runs of the same family gives each family once: no family is split.
    expect(sampleFamilies).toEqual(order);
  });
});

describe('labels', () => {
  const requests = family(evenFamilies, 'baseten_inference_requests_total').samples;

  it.each([
    ['Llama 3.1 "70B"', 'model_name="Llama 3.1 \\"70B\\""'],
    ['whisper\\large', 'model_name="whisper\\\\large"'],
    ['模型-ü', 'model_name="模型-ü"'],
  ])('model name %s is escaped as %s', (name, escaped) => {
    expect(even).toContain(escaped);
    expect(requests.some((s) => s.labels.model_name === name)).toBe(true);
  });

  it('some deployments have environment and rollout_phase, some have neither', () => {
    expect(requests.some((s) => s.labels.environment === 'production' && s.labels.rollout_phase === 'stable')).toBe(
      true,
    );
    expect(requests.some((s) => s.labels.rollout_phase === 'promoting')).toBe(true);
    expect(requests.some((s) => !('environment' in s.labels) && !('rollout_phase' in s.labels))).toBe(true);
  });

  it('status_code is mostly 200 with some 400, 429 and 500; is_async takes both values', () => {
    const codes = new Set(requests.map((s) => s.labels.status_code));
    expect([...codes].sort()).toEqual(['200', '400', '429', '500']);
    expect(new Set(requests.map((s) => s.labels.is_async))).toEqual(new Set(['true', 'false']));
    const total = (code: string): number =>
      requests.filter((s) => s.labels.status_code === code).reduce((a, s) => a + s.value, 0);
    expect(total('200')).toBeGreaterThan(10 * (total('400') + total('429') + total('500')));
  });

  it('pod_readiness has the three conditions', () => {
    const conditions = new Set(family(evenFamilies, 'baseten_pod_readiness').samples.map((s) => s.labels.condition));
    expect(conditions).toEqual(new Set(['true', 'false', 'unknown']));
  });

  it.each([
    ['baseten_llm_num_requests', (d: (typeof demoFleet.deployments)[number]) => d.profile.llm],
    ['baseten_async_queue_size', (d: (typeof demoFleet.deployments)[number]) => d.profile.async],
  ])('%s appears exactly on the deployments of that kind', (name, isKind) => {
    const seen = new Set(family(evenFamilies, name).samples.map((s) => s.labels.deployment_id));
    const expected = new Set(demoFleet.deployments.filter(isKind).map((d) => d.deploymentId));
    expect(expected.size).toBeGreaterThan(0);
    expect(expected.size).toBeLessThan(demoFleet.deployments.length);
    expect(seen).toEqual(expected);
  });
});

describe('determinism', () => {
  it('same seed, same fleet, same instant: the same bytes', () => {
    const again = renderBasetenMetrics(buildFleet({ deployments: 6, seed: 1, createdAtMs: CREATED_AT }), T_EVEN_MINUTE);
    expect(again).toBe(even);
  });

  it('another seed: other ids and values', () => {
    expect(
      renderBasetenMetrics(buildFleet({ deployments: 6, seed: 2, createdAtMs: CREATED_AT }), T_EVEN_MINUTE),
    ).not.toBe(even);
  });

  it.each([
    [T_EVEN_MINUTE + 29_999, true],
    [T_EVEN_MINUTE + 30_000, false],
  ])('data refreshes every 30 s: at +%i ms the body is unchanged: %s', (atMs, same) => {
    expect(renderBasetenMetrics(demoFleet, atMs) === even).toBe(same);
  });

  it('a bigger fleet extends a smaller one: the first deployments keep their ids', () => {
    const big = buildFleet({ deployments: 40, seed: 1, createdAtMs: CREATED_AT });
    expect(big.deployments.slice(0, 6).map((d) => d.deploymentId)).toEqual(
      demoFleet.deployments.map((d) => d.deploymentId),
    );
  });

  it('an empty fleet renders an empty body', () => {
    expect(renderBasetenMetrics(buildFleet({ deployments: 0, seed: 1, createdAtMs: CREATED_AT }), T_EVEN_MINUTE)).toBe(
      '',
    );
  });
});
