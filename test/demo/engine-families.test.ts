import { describe, expect, it } from 'vitest';
import { buildFleet, MODEL_CATALOG, renderBasetenMetrics, startSimulator, type Fleet } from '../../src/demo/index.js';
import { apiKeyHeader, httpGet } from './http-get.js';
import { parseText, type ParsedFamily, type ParsedSample } from './parse-text.js';
import { CREATED_AT, KEY, T_EVEN_MINUTE } from './fixtures.js';

type Row = [name: string, type: 'gauge' | 'counter' | 'histogram', extraLabels: string[], buckets?: string[]];

/** Bounds as Python's prometheus_client writes them, copied from ENGINES.md independently of src/demo. */
const le = (...bounds: string[]): string[] => [...bounds, '+Inf'];
const VLLM_TTFT = le(
  '0.001',
  '0.005',
  '0.01',
  '0.02',
  '0.04',
  '0.06',
  '0.08',
  '0.1',
  '0.25',
  '0.5',
  '0.75',
  '1.0',
  '2.5',
  '5.0',
  '7.5',
  '10.0',
  '20.0',
  '40.0',
  '80.0',
  '160.0',
  '640.0',
  '2560.0',
);
const VLLM_ITL = le(
  '0.01',
  '0.025',
  '0.05',
  '0.075',
  '0.1',
  '0.15',
  '0.2',
  '0.3',
  '0.4',
  '0.5',
  '0.75',
  '1.0',
  '2.5',
  '5.0',
  '7.5',
  '10.0',
  '20.0',
  '40.0',
  '80.0',
);
const VLLM_PHASE = le(
  '0.3',
  '0.5',
  '0.8',
  '1.0',
  '1.5',
  '2.0',
  '2.5',
  '5.0',
  '10.0',
  '15.0',
  '20.0',
  '30.0',
  '40.0',
  '50.0',
  '60.0',
  '120.0',
  '240.0',
  '480.0',
  '960.0',
  '1920.0',
  '7680.0',
);
/** The Llama's max_model_len is 131,072: 1-2-5 buckets up to 100,000. */
const VLLM_TOKENS_131K = le(
  '1.0',
  '2.0',
  '5.0',
  '10.0',
  '20.0',
  '50.0',
  '100.0',
  '200.0',
  '500.0',
  '1000.0',
  '2000.0',
  '5000.0',
  '10000.0',
  '20000.0',
  '50000.0',
  '100000.0',
);
const SGLANG_TTFT = le(
  '0.1',
  '0.2',
  '0.4',
  '0.6',
  '0.8',
  '1.0',
  '2.0',
  '4.0',
  '6.0',
  '8.0',
  '10.0',
  '20.0',
  '40.0',
  '60.0',
  '80.0',
  '100.0',
  '200.0',
  '400.0',
);
const SGLANG_ITL = le(
  '0.002',
  '0.004',
  '0.006',
  '0.008',
  '0.01',
  '0.015',
  '0.02',
  '0.025',
  '0.03',
  '0.035',
  '0.04',
  '0.06',
  '0.08',
  '0.1',
  '0.2',
  '0.4',
  '0.6',
  '0.8',
  '1.0',
  '2.0',
  '4.0',
  '6.0',
  '8.0',
);
const SGLANG_E2E = le(
  '0.1',
  '0.2',
  '0.4',
  '0.6',
  '0.8',
  '1.0',
  '2.0',
  '4.0',
  '6.0',
  '8.0',
  '10.0',
  '20.0',
  '40.0',
  '60.0',
  '80.0',
  '100.0',
  '200.0',
  '400.0',
  '600.0',
  '1200.0',
  '1800.0',
  '2400.0',
);

const CACHE_CONFIG = [
  'block_size',
  'cache_dtype',
  'calculate_kv_scales',
  'cpu_offload_gb',
  'enable_prefix_caching',
  'gpu_memory_utilization',
  'is_attention_free',
  'num_cpu_blocks',
  'num_gpu_blocks',
  'num_gpu_blocks_override',
  'prefix_caching_hash_algo',
  'sliding_window',
  'swap_space',
];

const VLLM_TABLE: Row[] = [
  ['vllm:num_requests_running', 'gauge', []],
  ['vllm:num_requests_waiting', 'gauge', []],
  ['vllm:kv_cache_usage_perc', 'gauge', []],
  ['vllm:num_preemptions_total', 'counter', []],
  ['vllm:prompt_tokens_total', 'counter', []],
  ['vllm:generation_tokens_total', 'counter', []],
  ['vllm:prefix_cache_queries_total', 'counter', []],
  ['vllm:prefix_cache_hits_total', 'counter', []],
  ['vllm:request_success_total', 'counter', ['finished_reason']],
  ['vllm:spec_decode_num_drafts_total', 'counter', []],
  ['vllm:spec_decode_num_draft_tokens_total', 'counter', []],
  ['vllm:spec_decode_num_accepted_tokens_total', 'counter', []],
  ['vllm:time_to_first_token_seconds', 'histogram', [], VLLM_TTFT],
  ['vllm:inter_token_latency_seconds', 'histogram', [], VLLM_ITL],
  ['vllm:request_time_per_output_token_seconds', 'histogram', [], VLLM_ITL],
  ['vllm:e2e_request_latency_seconds', 'histogram', [], VLLM_PHASE],
  ['vllm:request_queue_time_seconds', 'histogram', [], VLLM_PHASE],
  ['vllm:request_prefill_time_seconds', 'histogram', [], VLLM_PHASE],
  ['vllm:request_decode_time_seconds', 'histogram', [], VLLM_PHASE],
  ['vllm:request_inference_time_seconds', 'histogram', [], VLLM_PHASE],
  ['vllm:request_prompt_tokens', 'histogram', [], VLLM_TOKENS_131K],
  ['vllm:request_generation_tokens', 'histogram', [], VLLM_TOKENS_131K],
  ['vllm:cache_config_info', 'gauge', CACHE_CONFIG],
];

const SGLANG_TABLE: Row[] = [
  ['sglang:num_running_reqs', 'gauge', []],
  ['sglang:num_queue_reqs', 'gauge', []],
  ['sglang:token_usage', 'gauge', []],
  ['sglang:cache_hit_rate', 'gauge', []],
  ['sglang:gen_throughput', 'gauge', []],
  ['sglang:prompt_tokens_total', 'counter', []],
  ['sglang:generation_tokens_total', 'counter', []],
  ['sglang:cached_tokens_total', 'counter', []],
  ['sglang:num_requests_total', 'counter', []],
  ['sglang:num_aborted_requests_total', 'counter', []],
  ['sglang:num_retracted_requests_total', 'counter', []],
  ['sglang:time_to_first_token_seconds', 'histogram', [], SGLANG_TTFT],
  ['sglang:inter_token_latency_seconds', 'histogram', [], SGLANG_ITL],
  ['sglang:e2e_request_latency_seconds', 'histogram', [], SGLANG_E2E],
  // No bounds in ENGINES.md: SGLang's QUEUE_TIME_BUCKETS, 40 of them from 0.0.
  ['sglang:queue_time_seconds', 'histogram', []],
];

const OWN = { vllm: ['engine', 'model_name'], sglang: ['engine_type', 'model_name', 'pp_rank', 'tp_rank'] };
/** A value as Python writes a float: a decimal point or an exponent, never a bare integer. */
const PYTHON_FLOAT = /^(-?\d+\.\d+(e[+-]\d+)?|-?\d(\.\d+)?e[+-]\d+|\+Inf|-Inf|NaN)$/;

/** The family a counter or histogram keeps its creation time in: prometheus_client's `_created` gauge. */
function createdFamily([name, type]: Row): string | undefined {
  if (type === 'counter') return `${name.replace(/_total$/, '')}_created`;
  return type === 'histogram' ? `${name}_created` : undefined;
}

function family(families: Map<string, ParsedFamily>, name: string): ParsedFamily {
  const found = families.get(name);
  if (!found) throw new Error(`family ${name} missing`);
  return found;
}

function platformReplicas(families: Map<string, ParsedFamily>, deploymentId: string): string[] {
  return family(families, 'baseten_container_cpu_usage_seconds_total')
    .samples.filter((s) => s.labels.deployment_id === deploymentId)
    .map((s) => s.labels.replica as string)
    .sort();
}

describe.each([
  ["with the engine's own labels (the default)", true],
  ["with Baseten's labels only", false],
])("the engines' families, relayed %s", (_, engineLabels) => {
  const fleet: Fleet = buildFleet({
    deployments: 6,
    seed: 1,
    createdAtMs: CREATED_AT,
    ...(engineLabels ? {} : { engineLabels }),
  });
  const text = renderBasetenMetrics(fleet, T_EVEN_MINUTE);
  const families = parseText(text);
  const engineLines = text.split('\n').filter((line) => /^(vllm|sglang):/.test(line));
  const table = [...VLLM_TABLE, ...SGLANG_TABLE];

  it("are exactly ENGINES.md's, each counter and histogram with its _created gauge family", () => {
    const written = [...families.keys()].filter((name) => /^(vllm|sglang):/.test(name)).sort();
    const expected = table.flatMap((row) => [row[0], createdFamily(row) ?? []].flat()).sort();
    expect(written).toEqual(expected);
  });

  it.each(table)("%s is a %s with deployment_id, replica, the engine's labels and %j", (name, type, extra, buckets) => {
    const f = family(families, name);
    const engine = name.startsWith('vllm:') ? 'vllm' : 'sglang';
    const own = engineLabels
      ? OWN[engine].filter((label) => !(name === 'vllm:cache_config_info' && label === 'model_name'))
      : [];
    expect(f.type).toBe(type);
    expect(f.help.length).toBeGreaterThan(10);
    expect(f.samples.length).toBeGreaterThan(0);
    for (const sample of f.samples) {
      const expected = [
        'deployment_id',
        'replica',
        ...own,
        ...extra,
        ...(sample.name.endsWith('_bucket') ? ['le'] : []),
      ];
      expect(Object.keys(sample.labels).sort()).toEqual(expected.sort());
    }
    const les = [...new Set(f.samples.filter((s) => s.name.endsWith('_bucket')).map((s) => s.labels.le))];
    if (buckets) expect(les).toEqual(buckets);
    if (name === 'sglang:queue_time_seconds') expect([les[0], les.length, les.at(-2)]).toEqual(['0.0', 41, '3000.0']);
    const created = createdFamily([name, type, extra]);
    if (created === undefined) return;
    const companion = family(families, created);
    expect([companion.type, companion.help]).toEqual(['gauge', f.help]);
    const seriesOf = (samples: ParsedSample[]): string[] =>
      samples.filter((s) => !/_(bucket|sum)$/.test(s.name)).map((s) => JSON.stringify(s.labels));
    expect(seriesOf(companion.samples)).toEqual(seriesOf(f.samples));
  });

  it('writes labels sorted by name, as prometheus_client does, and every value as a Python float', () => {
    expect(engineLines.length).toBeGreaterThan(1_000);
    for (const line of engineLines) {
      const names = [...(/\{(.*)\}/.exec(line)?.[1] ?? '').matchAll(/([a-z_]+)="(?:[^"\\]|\\.)*"/g)].map(
        (m) => m[1] as string,
      );
      expect(names, line).toEqual([...names].sort());
      expect(line.slice(line.lastIndexOf(' ') + 1), line).toMatch(PYTHON_FLOAT);
    }
  });

  it('relays every replica of every LLM deployment, under the replica names the platform families use', () => {
    const running = [
      ...family(families, 'vllm:num_requests_running').samples,
      ...family(families, 'sglang:num_running_reqs').samples,
    ];
    for (const d of fleet.deployments) {
      const engineReplicas = running
        .filter((s) => s.labels.deployment_id === d.deploymentId)
        .map((s) => s.labels.replica)
        .sort();
      expect(engineReplicas).toEqual(d.profile.llm ? platformReplicas(families, d.deploymentId) : []);
    }
    expect(new Set(running.map((s) => s.labels.deployment_id)).size).toBe(
      fleet.deployments.filter((d) => d.profile.llm).length,
    );
  });

  it(
    engineLabels
      ? 'names the served model, not the Baseten model, in model_name'
      : "carries no label of the engine's own",
    () => {
      for (const d of fleet.deployments.filter((deployment) => deployment.engine)) {
        const [kind, running] =
          d.engine?.kind === 'vllm' ? ['vllm', 'vllm:num_requests_running'] : ['sglang', 'sglang:num_running_reqs'];
        for (const sample of family(families, running).samples.filter(
          (s) => s.labels.deployment_id === d.deploymentId,
        )) {
          const { deployment_id: _d, replica: _r, ...own } = sample.labels;
          const expected =
            kind === 'vllm'
              ? { engine: '0', model_name: d.profile.engine?.servedModel }
              : { engine_type: 'unified', model_name: d.profile.engine?.servedModel, pp_rank: '0', tp_rank: '0' };
          expect(own).toEqual(engineLabels ? expected : {});
        }
      }
      if (engineLabels) expect(text).toContain('model_name="meta-llama/Llama-3.1-70B-Instruct"');
    },
  );

  it("vllm:cache_config_info is 1.0 per replica, with the cache's size and no model_name", () => {
    for (const sample of family(families, 'vllm:cache_config_info').samples) {
      expect(sample.value).toBe(1);
      expect(Number(sample.labels.num_gpu_blocks)).toBeGreaterThan(100);
      expect(sample.labels).not.toHaveProperty('model_name');
    }
  });
});

describe("the catalog's engines", () => {
  it('every LLM model runs one engine, the others none', () => {
    for (const model of MODEL_CATALOG) expect(model.engine !== undefined, model.name).toBe(model.llm);
  });

  it('most run vLLM, at least one SGLang, and the six-deployment demo has both', () => {
    const kinds = MODEL_CATALOG.flatMap((m) => (m.engine ? [m.engine.kind] : []));
    expect(kinds.filter((k) => k === 'sglang').length).toBeGreaterThanOrEqual(1);
    expect(kinds.filter((k) => k === 'vllm').length).toBeGreaterThan(kinds.length / 2);
    const demo = buildFleet({ deployments: 6, seed: 1, createdAtMs: CREATED_AT });
    expect(new Set(demo.deployments.flatMap((d) => (d.engine ? [d.engine.kind] : [])))).toEqual(
      new Set(['vllm', 'sglang']),
    );
  });

  it(
    'serves model paths, and leaves the cache headroom where saturated ' + 'requests never outgrow the rest (≥ 0.85)',
    () => {
      for (const { engine } of MODEL_CATALOG) {
        if (!engine) continue;
        expect(engine.servedModel).toMatch(/^[\w.-]+\/[\w.-]+$/);
        expect(engine.kvHeadroom).toBeGreaterThanOrEqual(0.85);
      }
    },
  );
});

describe("the simulator's engineLabels option", () => {
  it.each([true, false])('engineLabels %s: served as rendered, and kept by the scale fault', async (engineLabels) => {
    const sim = await startSimulator({
      apiKey: KEY,
      rateLimitPerMinute: 1_000,
      now: () => T_EVEN_MINUTE,
      engineLabels,
    });
    try {
      const body = async (): Promise<string> => (await httpGet(sim.url, apiKeyHeader(KEY))).body.toString('utf8');
      const healthy = await body();
      expect(healthy).toBe(
        renderBasetenMetrics(
          buildFleet({ deployments: 6, seed: 1, createdAtMs: T_EVEN_MINUTE, engineLabels }),
          T_EVEN_MINUTE,
        ),
      );
      expect(healthy.includes('engine="0"')).toBe(engineLabels);
      await sim.setFault({ kind: 'scale', factor: 2 });
      const scaled = await body();
      expect(scaled).toBe(
        renderBasetenMetrics(
          buildFleet({ deployments: 12, seed: 1, createdAtMs: T_EVEN_MINUTE, engineLabels }),
          T_EVEN_MINUTE,
        ),
      );
    } finally {
      await sim.close();
    }
  });
});
