/**
 * The models the simulated organization runs. Names are user-chosen text on Baseten, so they carry
 * what the exposition must escape or pass through untouched: spaces, double quotes, backslashes,
 * single quotes, non-ASCII letters, CJK and an emoji outside the Basic Multilingual Plane.
 */

export interface GpuProfile {
  /** Memory of one GPU in MiB, as `nvidia-smi` reports it. */
  memoryMiB: number;
  perReplica: number;
}

/** The serving engine of an LLM model, whose own families Baseten relays per replica (ENGINES.md). */
export interface ServingEngine {
  kind: 'vllm' | 'sglang';
  /** What the engine serves, its own `model_name` label: a model path, not the Baseten model's name. */
  servedModel: string;
  /** The engine's max_model_len: vLLM's tokens-per-request histograms have 1-2-5 buckets up to it. */
  maxModelLen: number;
  /**
   * KV-cache capacity in requests, as a share of the most a replica's load brings at once (0.85 or more). Below 1
   * the cache fills at load peaks (requests wait, the engine preempts); from 1 on it never fills. The catalog's
   * are all 1 or more: the demo is a healthy organization (FleetOptions.kvHeadroom shows a saturated one).
   */
  kvHeadroom: number;
}

export interface ModelProfile {
  name: string;
  /** Served by Baseten's LLM engine: emits the `baseten_llm_*` families, and `engine` its own. */
  llm: boolean;
  /** LLM models only. */
  engine?: ServingEngine;
  /** Takes async requests: emits the async families and `is_async="true"` request series. */
  async: boolean;
  /** Speculative decoding enabled (behind a feature flag upstream). */
  specDecode: boolean;
  websocket: boolean;
  /** Absent for CPU-only models, which emit no GPU series. */
  gpu?: GpuProfile;
  /** Successful synchronous requests per second per replica. */
  requestsPerSecond: number;
  e2eSeconds: number;
  ttfbSeconds: number;
  requestBytes: number;
  responseBytes: number;
  cpuCores: number;
  memoryGiB: number;
}

const H100: GpuProfile = { memoryMiB: 81_559, perReplica: 1 };
const A100: GpuProfile = { memoryMiB: 81_920, perReplica: 1 };
const A10G: GpuProfile = { memoryMiB: 23_028, perReplica: 1 };
const L4: GpuProfile = { memoryMiB: 23_034, perReplica: 1 };
const T4: GpuProfile = { memoryMiB: 15_360, perReplica: 1 };

function vllm(servedModel: string, maxModelLen: number, kvHeadroom: number): ServingEngine {
  return { kind: 'vllm', servedModel, maxModelLen, kvHeadroom };
}

function sglang(servedModel: string, maxModelLen: number, kvHeadroom: number): ServingEngine {
  return { kind: 'sglang', servedModel, maxModelLen, kvHeadroom };
}

const base = { llm: false, async: false, specDecode: false, websocket: false };

/**
 * The first three make up the six-deployment demo: an LLM with speculative decoding on vLLM, an async model, an
 * LLM on SGLang. Three of the five LLMs run vLLM; no cache fills (FleetOptions.kvHeadroom makes them).
 */
export const MODEL_CATALOG: readonly ModelProfile[] = [
  {
    ...base,
    name: 'Llama 3.1 "70B"',
    llm: true,
    specDecode: true,
    gpu: { ...H100, perReplica: 4 },
    engine: vllm('meta-llama/Llama-3.1-70B-Instruct', 131_072, 1.05),
    requestsPerSecond: 2,
    e2eSeconds: 4,
    ttfbSeconds: 0.35,
    requestBytes: 3_000,
    responseBytes: 2_500,
    cpuCores: 8,
    memoryGiB: 24,
  },
  {
    ...base,
    name: 'whisper\\large',
    async: true,
    gpu: A10G,
    requestsPerSecond: 1.5,
    e2eSeconds: 2.5,
    ttfbSeconds: 2.3,
    requestBytes: 400_000,
    responseBytes: 3_000,
    cpuCores: 4,
    memoryGiB: 8,
  },
  {
    ...base,
    name: '模型-ü',
    llm: true,
    gpu: H100,
    engine: sglang('Qwen/Qwen2.5-7B-Instruct', 32_768, 1.1),
    requestsPerSecond: 4,
    e2eSeconds: 2,
    ttfbSeconds: 0.15,
    requestBytes: 1_500,
    responseBytes: 1_800,
    cpuCores: 8,
    memoryGiB: 16,
  },
  {
    ...base,
    name: 'Stable Diffusion XL',
    gpu: A100,
    requestsPerSecond: 0.8,
    e2eSeconds: 3.5,
    ttfbSeconds: 3.4,
    requestBytes: 600,
    responseBytes: 1_500_000,
    cpuCores: 4,
    memoryGiB: 16,
  },
  {
    ...base,
    name: '🚀 Orpheus TTS',
    websocket: true,
    gpu: L4,
    requestsPerSecond: 3,
    e2eSeconds: 0.8,
    ttfbSeconds: 0.12,
    requestBytes: 400,
    responseBytes: 250_000,
    cpuCores: 4,
    memoryGiB: 8,
  },
  {
    ...base,
    name: 'bge-m3 embeddings',
    gpu: L4,
    requestsPerSecond: 25,
    e2eSeconds: 0.04,
    ttfbSeconds: 0.035,
    requestBytes: 2_000,
    responseBytes: 16_000,
    cpuCores: 2,
    memoryGiB: 4,
  },
  {
    ...base,
    name: 'Mixtral 8x7B Instruct',
    llm: true,
    specDecode: true,
    gpu: { ...H100, perReplica: 2 },
    engine: vllm('mistralai/Mixtral-8x7B-Instruct-v0.1', 32_768, 1.1),
    requestsPerSecond: 3,
    e2eSeconds: 3,
    ttfbSeconds: 0.25,
    requestBytes: 2_500,
    responseBytes: 2_000,
    cpuCores: 8,
    memoryGiB: 24,
  },
  {
    ...base,
    name: 'résumé-parser (CPU)',
    async: true,
    requestsPerSecond: 2,
    e2eSeconds: 0.6,
    ttfbSeconds: 0.55,
    requestBytes: 80_000,
    responseBytes: 4_000,
    cpuCores: 2,
    memoryGiB: 2,
  },
  {
    ...base,
    name: "DeepSeek-R1 'distill' 32B",
    llm: true,
    gpu: { ...H100, perReplica: 2 },
    engine: sglang('deepseek-ai/DeepSeek-R1-Distill-Qwen-32B', 131_072, 1.05),
    requestsPerSecond: 1,
    e2eSeconds: 12,
    ttfbSeconds: 0.4,
    requestBytes: 1_200,
    responseBytes: 9_000,
    cpuCores: 8,
    memoryGiB: 24,
  },
  {
    ...base,
    name: 'ocr\\batch 2024 — v2',
    async: true,
    gpu: T4,
    requestsPerSecond: 1,
    e2eSeconds: 1.5,
    ttfbSeconds: 1.4,
    requestBytes: 900_000,
    responseBytes: 6_000,
    cpuCores: 4,
    memoryGiB: 8,
  },
  {
    ...base,
    name: 'Gemma 3 27B',
    llm: true,
    async: true,
    gpu: H100,
    engine: vllm('google/gemma-3-27b-it', 131_072, 1.15),
    requestsPerSecond: 2,
    e2eSeconds: 3,
    ttfbSeconds: 0.2,
    requestBytes: 2_000,
    responseBytes: 2_200,
    cpuCores: 8,
    memoryGiB: 16,
  },
  {
    ...base,
    name: 'ControlNet · canny edge',
    gpu: A10G,
    requestsPerSecond: 1,
    e2eSeconds: 2.2,
    ttfbSeconds: 2.1,
    requestBytes: 300_000,
    responseBytes: 1_200_000,
    cpuCores: 4,
    memoryGiB: 8,
  },
];

/** The model at catalog position `index`; past the end, names repeat with a ` #2`, ` #3`… suffix. */
export function modelProfile(index: number): ModelProfile {
  const profile = MODEL_CATALOG[index % MODEL_CATALOG.length] as ModelProfile;
  const round = Math.floor(index / MODEL_CATALOG.length);
  return round === 0 ? profile : { ...profile, name: `${profile.name} #${round + 1}` };
}
