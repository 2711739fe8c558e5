import { describe, expect, it } from 'vitest';
import { buildFleet, POD_HASH_LABEL, renderBasetenMetrics, replaceReplicas, type Fleet } from '../../src/demo/index.js';
import { parseText, seriesKey, type ParsedFamily, type ParsedSample } from './parse-text.js';
import { CREATED_AT, T_EVEN_MINUTE as T0 } from './fixtures.js';

// 24 deployments cover the whole model catalogue twice: five LLMs, three on vLLM and two on SGLang.
const fleet = buildFleet({ deployments: 24, seed: 7, createdAtMs: CREATED_AT });
const render = (atMs: number, f: Fleet = fleet): Map<string, ParsedFamily> => parseText(renderBasetenMetrics(f, atMs));
const now = render(T0);

// Histogram invariants and counters that never decrease, for the engines' families too: render-consistency.test.ts.
const isEngine = (name: string): boolean => /^(vllm|sglang):/.test(name);
/** The engines' counters, histograms and `_created` gauges. */
const MONOTONIC = [...now.values()]
  .filter((f) => isEngine(f.name) && (f.type !== 'gauge' || f.name.endsWith('_created')))
  .map((f) => f.name);

function samples(families: Map<string, ParsedFamily>, name: string): ParsedSample[] {
  return families.get(name)?.samples ?? [];
}

/** One value per replica: `deployment_id/replica` → value of the sample of `name` (first one when filtered). */
function perReplica(
  families: Map<string, ParsedFamily>,
  name: string,
  keep: (s: ParsedSample) => boolean = () => true,
): Map<string, number> {
  return new Map(
    samples(families, name)
      .filter(keep)
      .map((s) => [`${s.labels.deployment_id}/${s.labels.replica}`, s.value]),
  );
}

const ofName =
  (suffix: string) =>
  (s: ParsedSample): boolean =>
    s.name.endsWith(suffix);

/** `deployment_id/replica` of each pod hash, for joining the LLM families with the engine's. */
function replicaOfPod(f: Fleet): Map<string | undefined, string> {
  const hash = new RegExp(`${POD_HASH_LABEL}="([0-9a-f]+)"`);
  return new Map(
    f.deployments.flatMap((d) =>
      d.replicas.map((r) => [hash.exec(r.podLabels)?.[1], `${d.deploymentId}/${r.id}`] as const),
    ),
  );
}

/** One value per replica of an LLM family (`keep` picks one sample of a histogram), keyed as perReplica's. */
function perPod(
  families: Map<string, ParsedFamily>,
  name: string,
  f: Fleet = fleet,
  keep: (s: ParsedSample) => boolean = () => true,
): Map<string, number> {
  const pods = replicaOfPod(f);
  return new Map(
    samples(families, name)
      .filter(keep)
      .map((s) => [pods.get(s.labels[POD_HASH_LABEL]) ?? '?', s.value]),
  );
}

describe('engine histograms', () => {
  it.each([
    ['vllm:e2e_request_latency_seconds_count', 'vllm:request_success_total'],
    ['vllm:request_queue_time_seconds_count', 'vllm:request_success_total'],
    ['vllm:time_to_first_token_seconds_count', 'vllm:request_success_total'],
    ['vllm:request_prompt_tokens_count', 'vllm:request_success_total'],
    ['sglang:e2e_request_latency_seconds_count', 'sglang:num_requests_total'],
    ['sglang:queue_time_seconds_count', 'sglang:num_requests_total'],
  ])('%s equals %s (summed over finished_reason) per replica', (count, total) => {
    const totals = new Map<string, number>();
    for (const s of samples(now, total)) {
      const key = `${s.labels.deployment_id}/${s.labels.replica}`;
      totals.set(key, (totals.get(key) ?? 0) + s.value);
    }
    const counts = perReplica(now, count.replace(/_count$/, ''), ofName('_count'));
    expect(counts.size).toBeGreaterThan(0);
    expect(counts).toEqual(totals);
  });

  it.each([
    ['vllm:prompt_tokens_total', 'vllm:request_prompt_tokens'],
    ['vllm:generation_tokens_total', 'vllm:request_generation_tokens'],
    ['vllm:prefix_cache_queries_total', 'vllm:request_prompt_tokens'],
  ])('%s equals the _sum of %s', (counter, histogram) => {
    expect(perReplica(now, counter)).toEqual(perReplica(now, histogram, ofName('_sum')));
  });

  it('inter-token latency is observed once per output token after the first', () => {
    for (const [engine, generated, requests] of [
      ['vllm', 'vllm:generation_tokens_total', 'vllm:e2e_request_latency_seconds'],
      ['sglang', 'sglang:generation_tokens_total', 'sglang:e2e_request_latency_seconds'],
    ] as const) {
      const tokens = perReplica(now, generated);
      const finished = perReplica(now, requests, ofName('_count'));
      for (const [key, gaps] of perReplica(now, `${engine}:inter_token_latency_seconds`, ofName('_count'))) {
        const expected = (tokens.get(key) ?? 0) - (finished.get(key) ?? 0);
        expect(Math.abs(gaps - expected)).toBeLessThanOrEqual(0.001 * expected + 2);
      }
    }
  });
});

describe('engine counters', () => {
  it('hits stay within queries, accepted drafts within drafted and generated tokens, aborts within requests', () => {
    const within = (part: string, whole: string): void => {
      const wholes = perReplica(now, whole);
      expect(wholes.size).toBeGreaterThan(0);
      for (const [key, value] of perReplica(now, part)) expect(value).toBeLessThanOrEqual(wholes.get(key) ?? -1);
    };
    within('vllm:prefix_cache_hits_total', 'vllm:prefix_cache_queries_total');
    within('vllm:spec_decode_num_accepted_tokens_total', 'vllm:spec_decode_num_draft_tokens_total');
    within('vllm:spec_decode_num_accepted_tokens_total', 'vllm:generation_tokens_total');
    within('vllm:spec_decode_num_drafts_total', 'vllm:spec_decode_num_draft_tokens_total');
    within('sglang:cached_tokens_total', 'sglang:prompt_tokens_total');
    within('sglang:num_aborted_requests_total', 'sglang:num_requests_total');
  });

  it('agree with the LLM families of the same replica: requests, prompt and generated tokens', () => {
    for (const [prompt, generated, requests] of [
      ['vllm:prompt_tokens_total', 'vllm:generation_tokens_total', 'vllm:e2e_request_latency_seconds'],
      ['sglang:prompt_tokens_total', 'sglang:generation_tokens_total', 'sglang:e2e_request_latency_seconds'],
    ] as const) {
      const platformIn = perPod(now, 'baseten_llm_input_tokens_total');
      const platformOut = perPod(now, 'baseten_llm_output_tokens_total');
      const platformCounts = perPod(now, 'baseten_llm_input_tokens_per_request', fleet, ofName('_count'));
      const engineOut = perReplica(now, generated);
      const counts = perReplica(now, requests, ofName('_count'));
      expect(counts.size).toBeGreaterThan(0);
      for (const [key, tokens] of perReplica(now, prompt)) {
        expect(Math.abs(tokens - (platformIn.get(key) ?? 0))).toBeLessThanOrEqual(0.01 * tokens);
        expect(Math.abs((engineOut.get(key) ?? 0) - (platformOut.get(key) ?? 0))).toBeLessThanOrEqual(
          0.01 * (engineOut.get(key) ?? 0),
        );
      }
      for (const [key, count] of counts)
        expect(Math.abs(count - (platformCounts.get(key) ?? -10))).toBeLessThanOrEqual(1);
    }
  });
});

/** Gauges of every engine replica at one refresh, joined with the LLM families' requests in flight. */
function gauges(
  families: Map<string, ParsedFamily>,
  f: Fleet,
): Array<{ key: string; running: number; waiting: number; kv: number; inFlight: number }> {
  const inFlight = perPod(families, 'baseten_llm_num_requests', f);
  return (['vllm', 'sglang'] as const).flatMap((engine) => {
    const [runningName, waitingName, kvName] =
      engine === 'vllm'
        ? ['vllm:num_requests_running', 'vllm:num_requests_waiting', 'vllm:kv_cache_usage_perc']
        : ['sglang:num_running_reqs', 'sglang:num_queue_reqs', 'sglang:token_usage'];
    const waiting = perReplica(families, waitingName);
    const kv = perReplica(families, kvName);
    return [...perReplica(families, runningName)].map(([key, running]) => ({
      key,
      running,
      waiting: waiting.get(key) ?? NaN,
      kv: kv.get(key) ?? NaN,
      inFlight: inFlight.get(key) ?? NaN,
    }));
  });
}

/** Computed on first use, so that a filtered run does not pay for it. */
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

describe('engine gauges over a day of refreshes', () => {
  // Caches that fill at load peaks (the catalog's never do: the demo is a healthy organization).
  const six = buildFleet({ deployments: 6, seed: 1, createdAtMs: CREATED_AT, kvHeadroom: 0.9 });
  const dayOf = once(() => Array.from({ length: 144 }, (_, k) => gauges(render(T0 + k * 600_000, six), six)).flat());

  it("KV-cache usage stays in [0, 1], and running + waiting are the LLM families' requests in flight", () => {
    const day = dayOf();
    expect(day.length).toBe(144 * 7);
    for (const g of day) {
      expect(g.kv).toBeGreaterThanOrEqual(0);
      expect(g.kv).toBeLessThanOrEqual(1);
      expect(g.running + g.waiting).toBe(g.inFlight);
    }
  });

  it('requests wait only when the KV cache is nearly full, and some do', () => {
    const day = dayOf();
    const waiting = day.filter((g) => g.waiting > 0);
    expect(waiting.length).toBeGreaterThan(10);
    for (const g of waiting) expect(g.kv).toBeGreaterThanOrEqual(0.9);
    expect(day.filter((g) => g.waiting === 0 && g.kv < 0.5).length).toBeGreaterThan(day.length / 4);
  });
});

describe('values move together: a full cache brings preemptions, queue time and time to first token', () => {
  // The Llama's production deployment (vLLM) and 模型-ü's (SGLang), with caches that fill at load peaks, half-hour
  // windows over a day.
  const six = buildFleet({ deployments: 6, seed: 1, createdAtMs: CREATED_AT, kvHeadroom: 0.9 });
  const instants = Array.from({ length: 49 }, (_, k) => T0 + k * 1_800_000);
  const rendersOf = once(() => instants.map((at) => render(at, six)));

  it.each([
    [
      'vllm',
      'vllm:num_preemptions_total',
      'vllm:request_queue_time_seconds',
      'vllm:time_to_first_token_seconds',
      'vllm:kv_cache_usage_perc',
      0,
    ],
    [
      'sglang',
      'sglang:num_retracted_requests_total',
      'sglang:queue_time_seconds',
      'sglang:time_to_first_token_seconds',
      'sglang:token_usage',
      4,
    ],
  ] as const)('%s', (_, preemptions, queue, ttft, kv, index) => {
    const d = six.deployments[index];
    const key = `${d?.deploymentId}/${d?.replicas[0]?.id}`;
    const renders = rendersOf();
    const at = (k: number, name: string, keep?: (s: ParsedSample) => boolean): number =>
      perReplica(renders[k] as Map<string, ParsedFamily>, name, keep).get(key) ?? NaN;
    const windows = instants.slice(1).map((_, k) => {
      const delta = (name: string, suffix: string): number =>
        at(k + 1, name, ofName(suffix)) - at(k, name, ofName(suffix));
      return {
        preempted: at(k + 1, preemptions) - at(k, preemptions),
        queue: delta(queue, '_sum') / delta(queue, '_count'),
        ttft: delta(ttft, '_sum') / delta(ttft, '_count'),
        kv: (at(k, kv) + at(k + 1, kv)) / 2,
      };
    });
    const mean = (xs: number[]): number => xs.reduce((a, x) => a + x, 0) / xs.length;
    const busy = windows.filter((w) => w.preempted > 0);
    const calm = windows.filter((w) => w.preempted === 0);
    // The load swings over two hours: the cache fills near its crest and never near its trough.
    expect(busy.length).toBeGreaterThan(3);
    expect(calm.length).toBeGreaterThan(3);
    expect(mean(busy.map((w) => w.queue))).toBeGreaterThan(2 * mean(calm.map((w) => w.queue)));
    expect(mean(busy.map((w) => w.ttft))).toBeGreaterThan(mean(calm.map((w) => w.ttft)));
    expect(mean(busy.map((w) => w.kv))).toBeGreaterThan(mean(calm.map((w) => w.kv)));
  });
});

describe('the demo is a healthy organization', () => {
  it('no cache fills: nothing waits, nothing is preempted, over a day of refreshes of the whole catalog', () => {
    const all = buildFleet({ deployments: 24, seed: 1, createdAtMs: CREATED_AT });
    for (let k = 0; k < 48; k++) {
      const text = renderBasetenMetrics(all, T0 + k * 1_800_000);
      for (const line of text.split('\n')) {
        if (/^(vllm:num_requests_waiting|sglang:num_queue_reqs)\{/.test(line))
          expect(Number(line.slice(line.lastIndexOf(' ') + 1)), line).toBe(0);
        if (/^(vllm:num_preemptions_total|sglang:num_retracted_requests_total)\{/.test(line))
          expect(Number(line.slice(line.lastIndexOf(' ') + 1)), line).toBe(0);
      }
    }
  });
});

describe('a replaced replica', () => {
  const replacedAt = T0 + 600_000;
  const churned = buildFleet({ deployments: 6, seed: 1, createdAtMs: CREATED_AT });
  const llama = churned.deployments[0];
  if (!llama) throw new Error('no deployment');
  const oldIds = llama.replicas.map((r) => r.id);
  replaceReplicas(churned, llama, 1, replacedAt);
  const newIds = llama.replicas.map((r) => r.id);
  const atStart = render(replacedAt, churned);
  const later = render(replacedAt + 3_600_000, churned);
  const ofLlama = (s: ParsedSample): boolean => s.labels.deployment_id === llama.deploymentId;

  it('is relayed under its new name by the platform families and the engine alike; the old names are gone', () => {
    expect(
      new Set(
        samples(atStart, 'baseten_container_cpu_usage_seconds_total')
          .filter(ofLlama)
          .map((s) => s.labels.replica),
      ),
    ).toEqual(new Set(newIds));
    expect(
      new Set(
        samples(atStart, 'vllm:num_requests_running')
          .filter(ofLlama)
          .map((s) => s.labels.replica),
      ),
    ).toEqual(new Set(newIds));
    const text = renderBasetenMetrics(churned, replacedAt);
    for (const id of oldIds) expect(text).not.toContain(id);
  });

  it(
    'starts every engine counter, bucket, _sum and _count at 0, created ' + 'when it started, and counts from there',
    () => {
      let counted = 0;
      for (const name of MONOTONIC) {
        const atLater = new Map(
          samples(later, name)
            .filter(ofLlama)
            .map((s) => [seriesKey(s), s.value]),
        );
        for (const s of samples(atStart, name).filter(ofLlama)) {
          counted++;
          if (name.endsWith('_created')) {
            expect(s.value).toBe(replacedAt / 1000);
            continue;
          }
          expect(s.value, seriesKey(s)).toBe(0);
          expect(atLater.get(seriesKey(s))).toBeGreaterThanOrEqual(0);
        }
      }
      expect(counted).toBeGreaterThan(200 * newIds.length);
      for (const value of perReplica(later, 'vllm:generation_tokens_total', ofLlama).values())
        expect(value).toBeGreaterThan(0);
    },
  );

  it("restarts the platform's per-replica counters too", () => {
    for (const name of ['baseten_container_cpu_usage_seconds_total', 'baseten_llm_input_tokens_total']) {
      for (const s of samples(atStart, name).filter(ofLlama)) expect(s.value, name).toBe(0);
    }
  });
});

describe('the two relay shapes', () => {
  it("carry the same values and the same platform families; only the engine series' labels differ", () => {
    const bare = buildFleet({ deployments: 6, seed: 1, createdAtMs: CREATED_AT, engineLabels: false });
    const labelled = buildFleet({ deployments: 6, seed: 1, createdAtMs: CREATED_AT });
    const lines = (f: Fleet): string[] => renderBasetenMetrics(f, T0).split('\n');
    const strip = (line: string): string =>
      line.replace(/(engine|engine_type|model_name|pp_rank|tp_rank)="[^"]*",?/g, '').replace(',}', '}');
    const [a, b] = [lines(bare), lines(labelled)];
    expect(a).toHaveLength(b.length);
    a.forEach((line, i) => expect(line).toBe(isEngine(line) ? strip(b[i] as string) : b[i]));
    expect(a).not.toEqual(b);
  });

  it.each([true, false])('engineLabels %s: same seed, same clock, the same bytes', (engineLabels) => {
    const once = renderBasetenMetrics(
      buildFleet({ deployments: 6, seed: 1, createdAtMs: CREATED_AT, engineLabels }),
      T0,
    );
    expect(
      renderBasetenMetrics(buildFleet({ deployments: 6, seed: 1, createdAtMs: CREATED_AT, engineLabels }), T0),
    ).toBe(once);
  });
});
