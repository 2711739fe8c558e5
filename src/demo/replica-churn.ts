/**
 * Replicas replaced, as a rollout or a rescheduled pod replaces them on Baseten: new `replica` labels on the
 * container and GPU families, new pod hashes on the LLM families, new engine series, and every per-replica
 * counter of the new replicas starting again from 0 at the moment they start. The bench's moving payload churns
 * deployments with it; a test replaces a deployment's replicas the same way.
 */
import { createHash } from 'node:crypto';
import { buildReplica, type Fleet, type SimulatedDeployment } from './fleet.js';

/** Kubernetes' alphabet for generated name suffixes (no vowels, no 0/1/3): pod names look like this. */
const POD_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function podSuffix(seedText: string, length: number): string {
  const digest = createHash('sha256').update(seedText).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += POD_ALPHABET[(digest[i] as number) % POD_ALPHABET.length];
  return out;
}

/**
 * Replaces every replica of `deployment` (one of `fleet`'s) by a new one started at `startedAtMs`. The names come
 * from the deployment and `generation` alone: replacing with the same generation gives the same replicas.
 */
export function replaceReplicas(
  fleet: Fleet,
  deployment: SimulatedDeployment,
  generation: number,
  startedAtMs: number,
): void {
  const replicaSet = podSuffix(`${deployment.deploymentId}/${generation}`, 9);
  deployment.replicas = deployment.replicas.map((_, r) => {
    const pod = podSuffix(`${deployment.deploymentId}/${generation}/${r}`, 5);
    const id = `${deployment.deploymentId}-${replicaSet}-${pod}`;
    const seed = createHash('sha256').update(id).digest().readUInt32BE(0);
    return buildReplica(deployment, id, seed, startedAtMs, fleet.engineLabels);
  });
}
