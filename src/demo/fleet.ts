/**
 * The simulated organization: its models and deployments, drawn once from the seed. Rendering reads a
 * fleet and a time and nothing else, so the payload is a pure function of (seed, deployments, createdAtMs,
 * engineLabels, time). Deployment `i` depends only on the seed and `i`, so a bigger fleet extends a smaller one.
 */
import { createHash } from 'node:crypto';
import {
  buildAsyncTraffic,
  buildLlmTraffic,
  buildStreams,
  type AsyncTraffic,
  type LlmTraffic,
  type RequestStream,
} from './deployment-traffic.js';
import { replicaEngineLabels, type ReplicaEngineLabels } from './engine-labels.js';
import { buildEngineTraffic, type EngineTraffic } from './engine-traffic.js';
import { labelPairs } from './exposition-writer.js';
import { POD_HASH_LABEL } from './families.js';
import { modelProfile, type ModelProfile } from './model-catalog.js';
import { between, hash32, intBetween, lowerAlnumId, mulberry32 } from './prng.js';
import { phaseOf } from './signals.js';

export interface SimulatedReplica {
  /** The `replica` label value, shaped like a Kubernetes pod name. */
  id: string;
  seed: number;
  /** Its per-replica counters, its engine's too, count from here: a replica that replaces another starts at 0. */
  startedAtMs: number;
  /** Standard labels plus `replica`. */
  labels: string;
  /** Standard labels plus the pod hash, for the LLM families. */
  podLabels: string;
  /** Standard labels plus `replica` and `gpu`, one entry per GPU (none on CPU-only models). */
  gpuLabels: string[];
  /** The labels of its serving engine's series (LLM deployments only). */
  engine?: ReplicaEngineLabels;
}

export interface SimulatedDeployment {
  index: number;
  seed: number;
  modelId: string;
  modelName: string;
  deploymentId: string;
  /** Absent on deployments outside any environment (development deployments). */
  environment?: string;
  rolloutPhase?: string;
  profile: ModelProfile;
  /** Pre-rendered standard labels (`model_id="…",…`, no braces). */
  labels: string;
  /** When the deployment (simulatedly) started: counters integrate from here. */
  startedAtMs: number;
  phase: number;
  replicas: SimulatedReplica[];
  streams: RequestStream[];
  llm?: LlmTraffic;
  /** The serving engine (vLLM or SGLang) of an LLM deployment. */
  engine?: EngineTraffic;
  async?: AsyncTraffic;
  restartsPerHour: number;
}

export interface Fleet {
  seed: number;
  createdAtMs: number;
  /** Whether the engine series are relayed with the engine's own labels (FleetOptions). */
  engineLabels: boolean;
  deployments: SimulatedDeployment[];
}

export interface FleetOptions {
  deployments: number;
  seed: number;
  /** The instant the fleet is observed from; deployments started hours to days before it. */
  createdAtMs: number;
  /**
   * Default true: engine series carry the engine's own labels (`model_name` = the served model, vLLM's `engine`,
   * SGLang's `engine_type`, `tp_rank`, `pp_rank`) beside Baseten's `deployment_id` and `replica`; false: only
   * Baseten's. ENGINES.md: which shape Baseten relays is not documented.
   */
  engineLabels?: boolean;
  /**
   * Every engine's KV-cache headroom instead of its model's (model-catalog.ts): the catalog's are 1 or more, a
   * healthy organization whose caches never fill (the demo pages no one); below 1 they fill at load peaks, and
   * requests wait, the engines preempt and time to first token grows.
   */
  kvHeadroom?: number;
}

/** Two deployments per model: the production one, then a promoting, a development or a staging one. */
function environmentOf(index: number, model: number): { environment?: string; rolloutPhase?: string } {
  if (index % 2 === 0) return { environment: 'production', rolloutPhase: 'stable' };
  switch (model % 3) {
    case 0:
      return { environment: 'production', rolloutPhase: 'promoting' };
    case 1:
      return {};
    default:
      return { environment: 'staging', rolloutPhase: 'stable' };
  }
}

/** A replica of `deployment` named `id`, started at `startedAtMs`: its labels for every family it has. */
export function buildReplica(
  deployment: Pick<SimulatedDeployment, 'deploymentId' | 'labels' | 'profile' | 'engine'>,
  id: string,
  seed: number,
  startedAtMs: number,
  engineLabels: boolean,
): SimulatedReplica {
  const labels = `${deployment.labels},${labelPairs([['replica', id]])}`;
  const podHash = createHash('sha256').update(id).digest('hex').slice(0, 16);
  return {
    id,
    seed,
    startedAtMs,
    labels,
    podLabels: `${deployment.labels},${labelPairs([[POD_HASH_LABEL, podHash]])}`,
    gpuLabels: Array.from({ length: deployment.profile.gpu?.perReplica ?? 0 }, (_, gpu) => `${labels},gpu="${gpu}"`),
    engine: deployment.engine
      ? replicaEngineLabels(deployment.deploymentId, id, deployment.engine, engineLabels)
      : undefined,
  };
}

function buildDeployment(
  index: number,
  options: FleetOptions,
  modelId: string,
  deploymentId: string,
): SimulatedDeployment {
  const model = Math.floor(index / 2);
  const profile = modelProfile(model);
  const seed = hash32(options.seed, index);
  const random = mulberry32(seed);
  const { environment, rolloutPhase } = environmentOf(index, model);
  const pairs: Array<[string, string]> = [
    ['model_id', modelId],
    ['model_name', profile.name],
    ['deployment_id', deploymentId],
  ];
  if (environment !== undefined && rolloutPhase !== undefined)
    pairs.push(['environment', environment], ['rollout_phase', rolloutPhase]);
  const labels = labelPairs(pairs);
  const stable = rolloutPhase === 'stable' && environment === 'production';
  const replicaCount = stable ? intBetween(random, 1, 5) : 1;
  // Replica names are drawn first, so every later draw keeps its place in the stream.
  const replicaIds = Array.from(
    { length: replicaCount },
    () => `${deploymentId}-${lowerAlnumId(random, 9)}-${lowerAlnumId(random, 5)}`,
  );
  const trafficScale = stable ? 1 : environment === undefined ? 0.05 : 0.2;
  const baseRate = profile.requestsPerSecond * replicaCount * trafficScale * between(random, 0.5, 1.5);
  const streams = buildStreams(random, seed, profile, labels, baseRate);
  const ageMs = stable ? between(random, 6 * 3_600_000, 14 * 86_400_000) : between(random, 600_000, 6 * 3_600_000);
  const llm = profile.llm ? buildLlmTraffic(random, streams, replicaCount) : undefined;
  const deployment: SimulatedDeployment = {
    index,
    seed,
    modelId,
    modelName: profile.name,
    deploymentId,
    environment,
    rolloutPhase,
    profile,
    labels,
    startedAtMs: options.createdAtMs - ageMs,
    phase: phaseOf(seed),
    replicas: [],
    streams,
    llm,
    engine:
      llm && profile.engine
        ? buildEngineTraffic(
            seed,
            profile,
            { ...profile.engine, kvHeadroom: options.kvHeadroom ?? profile.engine.kvHeadroom },
            llm,
          )
        : undefined,
    async: profile.async ? buildAsyncTraffic(random, streams) : undefined,
    restartsPerHour: between(random, 0, 0.2),
  };
  deployment.replicas = replicaIds.map((id, r) =>
    buildReplica(deployment, id, hash32(seed, 1_000 + r), deployment.startedAtMs, options.engineLabels ?? true),
  );
  return deployment;
}

/** Draws an id not drawn before (collisions are vanishingly rare but would merge two series sets). */
function uniqueId(random: () => number, length: number, taken: Set<string>): string {
  for (;;) {
    const id = lowerAlnumId(random, length);
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

export function buildFleet(options: FleetOptions): Fleet {
  if (!Number.isInteger(options.deployments) || options.deployments < 0) {
    throw new Error(`demo: deployments must be a non-negative integer (got ${String(options.deployments)})`);
  }
  const taken = new Set<string>();
  const modelIds: string[] = [];
  const deployments: SimulatedDeployment[] = [];
  for (let index = 0; index < options.deployments; index++) {
    const model = Math.floor(index / 2);
    // Baseten's ids: 8 lowercase alphanumerics for a model, 7 for a deployment.
    modelIds[model] ??= uniqueId(mulberry32(hash32(options.seed ^ 0x6d6f64, model)), 8, taken);
    const deploymentId = uniqueId(mulberry32(hash32(options.seed ^ 0x646570, index)), 7, taken);
    deployments.push(buildDeployment(index, options, modelIds[model] as string, deploymentId));
  }
  return {
    seed: options.seed,
    createdAtMs: options.createdAtMs,
    engineLabels: options.engineLabels ?? true,
    deployments,
  };
}
