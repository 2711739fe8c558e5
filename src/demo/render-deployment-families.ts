/**
 * Families every deployment has: replica counts, concurrency, websockets, readiness, restarts, and the
 * per-replica container and GPU series. GPU memory is in MiB and utilization in percent, as Baseten
 * documents (neither carries a unit suffix).
 */
import type { ExpositionWriter } from './exposition-writer.js';
import { FAMILIES } from './families.js';
import type { Fleet, SimulatedDeployment } from './fleet.js';
import { hash32 } from './prng.js';
import { cumulative, elapsedSeconds, level, phaseOf, roundTo } from './signals.js';

const GIB = 1024 ** 3;

/** Salts so each gauge of a deployment or replica moves independently. */
const SALT = { starting: 1, concurrency: 2, websocket: 3, memory: 4, gpuMemory: 5, gpuUtil: 6, cpu: 7 } as const;

/** A replica is occasionally starting (the autoscaler adding one) at this refresh. */
function startingReplicas(deployment: SimulatedDeployment, atMs: number): number {
  return level(hash32(deployment.seed, SALT.starting), atMs) > 0.85 ? 1 : 0;
}

/** Little's law: requests in flight ≈ arrival rate × latency, swinging with load. */
function concurrency(deployment: SimulatedDeployment, atMs: number): number {
  const rate = deployment.streams.reduce((acc, s) => acc + s.ratePerSecond, 0);
  return Math.round(
    rate * deployment.profile.e2eSeconds * (0.5 + level(hash32(deployment.seed, SALT.concurrency), atMs)),
  );
}

function renderCapacity(writer: ExpositionWriter, fleet: Fleet, atMs: number): void {
  writer.family(FAMILIES.replicasActive);
  for (const d of fleet.deployments) writer.sample(d.labels, d.replicas.length);
  writer.family(FAMILIES.replicasStarting);
  for (const d of fleet.deployments) writer.sample(d.labels, startingReplicas(d, atMs));
  writer.family(FAMILIES.concurrentRequests);
  for (const d of fleet.deployments) writer.sample(d.labels, concurrency(d, atMs));
  writer.family(FAMILIES.websocketConnections);
  for (const d of fleet.deployments) {
    const open = d.profile.websocket
      ? Math.round(20 * d.replicas.length * level(hash32(d.seed, SALT.websocket), atMs))
      : 0;
    writer.sample(d.labels, open);
  }
}

function renderContainers(writer: ExpositionWriter, fleet: Fleet, atMs: number): void {
  writer.family(FAMILIES.cpuUsage);
  for (const d of fleet.deployments) {
    // Half the container's cores busy on average; core-seconds to the millisecond, from the replica's start.
    for (const r of d.replicas) {
      const coreSeconds = cumulative(
        d.profile.cpuCores * 0.5,
        elapsedSeconds(r.startedAtMs, atMs),
        phaseOf(hash32(r.seed, SALT.cpu)),
      );
      writer.sample(r.labels, roundTo(coreSeconds, 3));
    }
  }
  writer.family(FAMILIES.memoryWorkingSet);
  for (const d of fleet.deployments) {
    for (const r of d.replicas) {
      const share = 0.4 + 0.5 * level(hash32(r.seed, SALT.memory), atMs);
      writer.sample(r.labels, Math.round(d.profile.memoryGiB * GIB * share));
    }
  }
  writer.family(FAMILIES.restarts);
  for (const d of fleet.deployments)
    writer.sample(d.labels, Math.floor((d.restartsPerHour * elapsedSeconds(d.startedAtMs, atMs)) / 3600));
  writer.family(FAMILIES.podReadiness);
  for (const d of fleet.deployments) {
    writer.sample(`${d.labels},condition="true"`, d.replicas.length);
    writer.sample(`${d.labels},condition="false"`, startingReplicas(d, atMs));
    writer.sample(`${d.labels},condition="unknown"`, 0);
  }
}

function renderGpus(writer: ExpositionWriter, fleet: Fleet, atMs: number): void {
  writer.family(FAMILIES.gpuMemoryUsed);
  for (const d of fleet.deployments) {
    const total = d.profile.gpu?.memoryMiB ?? 0;
    for (const r of d.replicas) {
      r.gpuLabels.forEach((labels, gpu) => {
        const load = level(hash32(r.seed, SALT.gpuMemory * 16 + gpu), atMs);
        // LLM engines preallocate most of the card for the KV cache; other models use what they load.
        const share = d.llm ? 0.88 + 0.06 * load : 0.25 + 0.5 * load;
        writer.sample(labels, Math.round(total * share));
      });
    }
  }
  writer.family(FAMILIES.gpuUtilization);
  for (const d of fleet.deployments) {
    for (const r of d.replicas) {
      r.gpuLabels.forEach((labels, gpu) => {
        const load = level(hash32(r.seed, SALT.gpuUtil * 16 + gpu), atMs);
        writer.sample(labels, roundTo(d.llm ? 55 + 43 * load : 100 * load, 1));
      });
    }
  }
}

export function renderDeploymentFamilies(writer: ExpositionWriter, fleet: Fleet, atMs: number): void {
  renderCapacity(writer, fleet, atMs);
  renderContainers(writer, fleet, atMs);
  renderGpus(writer, fleet, atMs);
}
