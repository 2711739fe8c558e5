// Baseten-shaped payloads for the benchmarks, from the demo simulator's pure renderer, and a tiny static
// server so a real Prometheus can scrape the very same bytes.
import { createServer } from 'node:http';
import { buildFleet, renderBasetenMetrics } from '../dist/demo/index.js';

export const BENCH_TIME_MS = Date.UTC(2026, 0, 1, 0, 0, 0);

/**
 * The organization sizes the benchmarks and issue 13's targets name, as deployments of the simulated one. A
 * deployment averages about 420 series: Baseten's own families (about 250), and the engine families its LLM
 * replicas relay (about 260 per vLLM replica, 136 per SGLang one). Before the engines' families, 20, 200 and
 * 1,000 deployments made these sizes. Exactly: 13 → 5,545 series, 115 → 51,247, 590 → 248,294 (46 MiB).
 */
/**
 * The snapshot builder's options where the benchmarks run it in-process (identity.mjs, relabel.mjs,
 * builder-process.mjs): no scrape limits, up to 1 % invalid lines, sample timestamps and engine identity on.
 */
export const BENCH_BUILD_OPTIONS = {
  sampleLimit: 0,
  labelLimit: 0,
  labelNameLengthLimit: 0,
  labelValueLengthLimit: 0,
  maxInvalidLineRatio: 0.01,
  helpSuffix: '(cached from Baseten by baseten-metrics-bridge)',
  sampleTimestamps: true,
  engineIdentity: true,
};

export const DEPLOYMENTS = { '5k': 13, '50k': 115, '250k': 590 };

/** The named size a measured row stands for, from the series it served: rows of either mapping read alike. */
export function sizeOf(series) {
  const distance = (name) => Math.abs(Math.log(series / (Number.parseInt(name, 10) * 1_000)));
  return Object.keys(DEPLOYMENTS).reduce((best, name) => (distance(name) < distance(best) ? name : best));
}

/** The Baseten-shaped body of `deployments` deployments (DEPLOYMENTS: how many make each named size). */
export function payload(deployments) {
  const fleet = buildFleet({ deployments, seed: 1, createdAtMs: BENCH_TIME_MS });
  return renderBasetenMetrics(fleet, BENCH_TIME_MS);
}

/** Serves `body` at /metrics on a free loopback port. */
export async function serveStatic(body) {
  const bytes = Buffer.from(body);
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Content-Length': bytes.length });
    res.end(bytes);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/metrics`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * Three rules, the set issue 13's targets are stated for: a label from the model's name (replace), a label
 * dropped from every series (labeldrop) and a family dropped (drop) — the second, fourth and ninth of
 * TEN_RULES.
 */
export const THREE_RULES = [
  { source_labels: ['model_name'], regex: '(?i).*(llama|mistral|qwen).*', target_label: 'team', replacement: 'llm' },
  { action: 'labeldrop', regex: 'rollout_phase' },
  { source_labels: ['__name__'], regex: 'baseten_llm_spec_decode_.*', action: 'drop' },
];

/** Ten rules of the kinds platform teams run: labels from model names, drops, shards, renames. */
export const TEN_RULES = [
  { source_labels: ['model_name'], regex: '(?i).*(whisper|speech).*', target_label: 'team', replacement: 'audio' },
  { source_labels: ['model_name'], regex: '(?i).*(llama|mistral|qwen).*', target_label: 'team', replacement: 'llm' },
  { source_labels: ['environment'], regex: '', target_label: 'environment', replacement: 'none' },
  { action: 'labeldrop', regex: 'rollout_phase' },
  { source_labels: ['deployment_id'], modulus: 4, target_label: 'shard', action: 'hashmod' },
  {
    source_labels: ['__name__', 'status_code'],
    regex: 'baseten_inference_requests_total;5..',
    target_label: 'error_class',
    replacement: 'server',
  },
  { source_labels: ['model_id'], regex: '(.{4}).*', target_label: 'model_prefix', replacement: '${1}' },
  { action: 'lowercase', source_labels: ['is_async'], target_label: 'is_async' },
  { source_labels: ['__name__'], regex: 'baseten_llm_spec_decode_.*', action: 'drop' },
  { source_labels: ['gpu'], regex: '(.+)', target_label: 'gpu_id', replacement: 'gpu-$1' },
];
