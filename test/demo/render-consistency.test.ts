import { describe, expect, it } from 'vitest';
import { buildFleet, FAMILY_LIST, renderBasetenMetrics } from '../../src/demo/index.js';
import { parseText, seriesKey, type ParsedFamily, type ParsedSample } from './parse-text.js';
import { CREATED_AT, T_EVEN_MINUTE as T0 } from './fixtures.js';

// 24 deployments cover the whole model catalogue twice (12 models, 2 deployments each), and with it both engines.
const fleet = buildFleet({ deployments: 24, seed: 7, createdAtMs: CREATED_AT });
const render = (atMs: number): Map<string, ParsedFamily> => parseText(renderBasetenMetrics(fleet, atMs));
const now = render(T0);

/** The serving engines' families (vLLM, SGLang), as written: their counters' `_created` gauges never move. */
const ENGINE = [...now.values()].filter((f) => /^(vllm|sglang):/.test(f.name));
const HISTOGRAMS = [...FAMILY_LIST, ...ENGINE].filter((f) => f.type === 'histogram').map((f) => f.name);
const MONOTONIC = [...FAMILY_LIST, ...ENGINE]
  .filter((f) => f.type !== 'gauge' || f.name.endsWith('_created'))
  .map((f) => f.name);

function samples(families: Map<string, ParsedFamily>, name: string): ParsedSample[] {
  return families.get(name)?.samples ?? [];
}

/** A series' labels without `le`, as a key grouping one histogram's samples. */
function groupKey(sample: ParsedSample): string {
  const { le: _le, ...rest } = sample.labels;
  return JSON.stringify(rest);
}

describe('histograms', () => {
  it.each(HISTOGRAMS)('%s: ascending le ending in +Inf, cumulative buckets, +Inf == _count, _sum plausible', (name) => {
    const groups = new Map<string, { buckets: Array<[number, number]>; sum?: number; count?: number }>();
    for (const s of samples(now, name)) {
      const group = groups.get(groupKey(s)) ?? { buckets: [] };
      if (s.name.endsWith('_bucket'))
        group.buckets.push([s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), s.value]);
      else if (s.name.endsWith('_sum')) group.sum = s.value;
      else group.count = s.value;
      groups.set(groupKey(s), group);
    }
    expect(groups.size).toBeGreaterThan(0);
    for (const { buckets, sum, count } of groups.values()) {
      const bounds = buckets.map(([le]) => le);
      expect(bounds).toEqual([...bounds].sort((a, b) => a - b));
      expect(bounds.at(-1)).toBe(Infinity);
      buckets.forEach(([, value], i) => expect(value).toBeGreaterThanOrEqual(buckets[i - 1]?.[1] ?? 0));
      expect(buckets.at(-1)?.[1]).toBe(count);
      expect(Number.isInteger(count)).toBe(true);
      expect(sum).toBeGreaterThanOrEqual(0);
      // The mean lies within the observed range: above the bound under which nothing fell. Buckets are
      // floor(count × fraction) (distributions.ts), so with a handful of observations (a rare 5xx or 429 stream)
      // every finite bucket floors to 0: the mean is checked where there are enough to fill the buckets.
      const emptyBelow = buckets.filter(([, v]) => v === 0).at(-1)?.[0] ?? 0;
      if (count !== undefined && count >= 100) expect((sum ?? 0) / count).toBeGreaterThanOrEqual(emptyBelow);
    }
  });

  it.each([
    'baseten_end_to_end_response_time_seconds',
    'baseten_time_to_first_byte_seconds',
    'baseten_request_size_bytes',
    'baseten_response_size_bytes',
  ])('%s_count equals baseten_inference_requests_total for every label set', (name) => {
    const totals = new Map(samples(now, 'baseten_inference_requests_total').map((s) => [groupKey(s), s.value]));
    const counts = samples(now, name).filter((s) => s.name.endsWith('_count'));
    expect(counts).toHaveLength(totals.size);
    for (const s of counts) expect(s.value).toBe(totals.get(groupKey(s)));
  });

  it.each([
    ['baseten_llm_input_tokens_total', 'baseten_llm_input_tokens_per_request'],
    ['baseten_llm_output_tokens_total', 'baseten_llm_output_tokens_per_request'],
  ])('%s equals the _sum of %s', (counter, histogram) => {
    const sums = new Map(
      samples(now, histogram)
        .filter((s) => s.name.endsWith('_sum'))
        .map((s) => [groupKey(s), s.value]),
    );
    for (const s of samples(now, counter)) expect(s.value).toBe(sums.get(groupKey(s)));
  });
});

describe('counters grow with the clock', () => {
  it.each([
    ['one refresh', T0, T0 + 30_000],
    ['one minute (spec-decode off, then on)', T0 - 60_000, T0],
    ['one hour', T0, T0 + 3_600_000],
    ['one day', T0 + 3_600_000, T0 + 86_400_000],
  ])('%s: no counter, bucket, _sum or _count decreases, and no _created moves', (_, earlier, later) => {
    const before = render(earlier);
    const after = render(later);
    let compared = 0;
    let grew = 0;
    for (const name of MONOTONIC) {
      const previous = new Map(samples(before, name).map((s) => [seriesKey(s), s.value]));
      for (const s of samples(after, name)) {
        const old = previous.get(seriesKey(s));
        if (old === undefined) continue;
        compared++;
        if (name.endsWith('_created')) expect(s.value).toBe(old);
        else expect(s.value, `${seriesKey(s)} went from ${old} to ${s.value}`).toBeGreaterThanOrEqual(old);
        if (s.value > old) grew++;
      }
    }
    expect(compared).toBeGreaterThan(1_000);
    expect(grew).toBeGreaterThan(compared / 10);
  });

  it('speculative decoding accepts no more tokens than it drafts', () => {
    const draft = new Map(
      samples(now, 'baseten_llm_spec_decode_num_draft_tokens_total').map((s) => [groupKey(s), s.value]),
    );
    const accepted = samples(now, 'baseten_llm_spec_decode_num_accepted_tokens_total');
    expect(accepted.length).toBeGreaterThan(0);
    for (const s of accepted) expect(s.value).toBeLessThanOrEqual(draft.get(groupKey(s)) ?? -1);
  });
});

describe('gauges', () => {
  it.each<[string, number, number, boolean]>([
    ['baseten_gpu_utilization', 0, 100, false],
    ['baseten_gpu_memory_used', 1, 81_920, true],
    ['baseten_replicas_active', 1, 10, true],
    ['baseten_replicas_starting', 0, 1, true],
    ['baseten_concurrent_requests', 0, 10_000, true],
    ['baseten_ongoing_websocket_connections', 0, 1_000, true],
    ['baseten_container_cpu_memory_working_set_bytes', 2 ** 28, 64 * 2 ** 30, true],
    ['baseten_pod_readiness', 0, 10, true],
    ['baseten_async_queue_size', 0, 200, true],
    ['baseten_llm_num_requests', 0, 128, true],
    ['baseten_llm_in_flight_tokens', 0, 10_000_000, true],
    ['baseten_llm_avg_in_flight_tokens', 0, 10_000_000, false],
  ])('%s stays within [%d, %d] (integer: %s) and moves over an hour', (name, min, max, integer) => {
    const later = new Map(samples(render(T0 + 3_600_000), name).map((s) => [seriesKey(s), s.value]));
    let moved = false;
    for (const s of samples(now, name)) {
      expect(s.value).toBeGreaterThanOrEqual(min);
      expect(s.value).toBeLessThanOrEqual(max);
      if (integer) expect(Number.isInteger(s.value)).toBe(true);
      if (later.get(seriesKey(s)) !== s.value) moved = true;
    }
    if (!['baseten_replicas_active', 'baseten_pod_readiness'].includes(name)) expect(moved).toBe(true);
  });

  it('replicas_active and pod_readiness{condition="true"} agree', () => {
    const ready = new Map(
      samples(now, 'baseten_pod_readiness')
        .filter((s) => s.labels.condition === 'true')
        .map((s) => [s.labels.deployment_id, s.value]),
    );
    for (const s of samples(now, 'baseten_replicas_active')) expect(ready.get(s.labels.deployment_id)).toBe(s.value);
  });
});
