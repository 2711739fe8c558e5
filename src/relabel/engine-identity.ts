/**
 * Engine identity: a serving engine's series (vLLM, SGLang) as Baseten relays them carry `deployment_id` and
 * `replica` only (ENGINES.md), so the bridge attaches the Baseten identity of their deployment — `model_id`,
 * `model_name` and, when the deployment has one, `environment` — taken from the platform series of the same
 * `deployment_id` in the same body. It is attached before metric_relabel_configs, as Prometheus attaches a
 * target's labels before its metric_relabel_configs, and with Prometheus's rule for a collision: the engine's
 * own label of that name is kept as `exported_<name>` (scrape/scrape.go resolveConflictingExposedLabels), so
 * the served model path stays queryable as `exported_model_name`.
 *
 * `rollout_phase` is not attached: it changes during a promotion, which would split every engine counter of
 * the deployment into two series mid-rollout (and reset its rate); the deployment's identity does not change.
 */
import type { LabelPairs } from '../exposition/index.js';

/** Name prefixes of the families a serving engine exports: add an engine here. */
export const ENGINE_PREFIXES: readonly string[] = ['vllm:', 'sglang:'];

/** The labels attached, in this order. */
export const IDENTITY_LABELS = ['model_id', 'model_name', 'environment'] as const;

/** Prometheus's prefix for an exposed label that collides with an attached one (model.ExportedLabelPrefix). */
const EXPORTED_PREFIX = 'exported_';

export function isEngineSeries(name: string): boolean {
  for (const prefix of ENGINE_PREFIXES) if (name.startsWith(prefix)) return true;
  return false;
}

/** A deployment's Baseten identity, as its platform series carry it. */
export interface DeploymentIdentity {
  readonly model_id: string;
  readonly model_name: string;
  /** Absent for a deployment outside an environment (a development deployment). */
  readonly environment?: string;
}

function label(labels: LabelPairs, name: string): string | undefined {
  for (const [k, v] of labels) if (k === name && v !== '') return v;
  return undefined;
}

/** The deployment an engine series belongs to, or undefined when it has no `deployment_id`. */
export function engineDeployment(labels: LabelPairs): string | undefined {
  return label(labels, 'deployment_id');
}

/**
 * The identity a platform series states for its deployment: a series of Baseten's own (not an engine's) with
 * `deployment_id`, `model_id` and `model_name`; undefined for any other.
 */
export function platformIdentity(
  name: string,
  labels: LabelPairs,
): { deploymentId: string; identity: DeploymentIdentity } | undefined {
  if (isEngineSeries(name)) return undefined;
  const deploymentId = label(labels, 'deployment_id');
  const modelId = label(labels, 'model_id');
  const modelName = label(labels, 'model_name');
  if (deploymentId === undefined || modelId === undefined || modelName === undefined) return undefined;
  const environment = label(labels, 'environment');
  return {
    deploymentId,
    identity:
      environment === undefined
        ? { model_id: modelId, model_name: modelName }
        : { model_id: modelId, model_name: modelName, environment },
  };
}

/** What attaching did: the labels set, and the engine's own labels kept under another name. */
export interface Attached {
  labels: LabelPairs;
  set: Array<[name: string, value: string]>;
  renamed: Array<[from: string, to: string]>;
}

/**
 * The engine series' labels with `identity` attached: each identity label set, and an engine label of the
 * same name (non-empty) moved to `exported_<name>` (or `exported_exported_<name>`… while that is taken by
 * an exposed, an attached or an earlier renamed label), shortest names first, as Prometheus renames.
 */
export function attachIdentity(labels: LabelPairs, identity: DeploymentIdentity): Attached {
  const set: Array<[string, string]> = [];
  for (const name of IDENTITY_LABELS) {
    const value = identity[name];
    if (value !== undefined) set.push([name, value]);
  }
  const exposed = new Map<string, string>();
  for (const [k, v] of labels) if (v !== '') exposed.set(k, v);
  const attached = new Set(set.map(([k]) => k));
  const conflicting = set.filter(([k]) => exposed.has(k)).map(([k]) => [k, exposed.get(k)!] as [string, string]);
  conflicting.sort((a, b) => a[0].length - b[0].length);
  const taken = new Set<string>();
  const renamed: Array<[string, string]> = [];
  for (const [from, value] of conflicting) {
    let to = from;
    do to = EXPORTED_PREFIX + to;
    while (exposed.has(to) || attached.has(to) || taken.has(to));
    taken.add(to);
    renamed.push([from, to]);
    exposed.set(to, value);
  }
  for (const [k, v] of set) exposed.set(k, v);
  return { labels: [...exposed], set, renamed };
}

/**
 * The identities a set of series states (the first platform series of each deployment wins, in order), for
 * the tools that trace pasted series (relabel-test, the status page's debugger) as the pipeline reads a body.
 */
export function identitiesOf(series: Iterable<{ name: string; labels: LabelPairs }>): Map<string, DeploymentIdentity> {
  const found = new Map<string, DeploymentIdentity>();
  for (const { name, labels } of series) {
    const platform = platformIdentity(name, labels);
    if (platform !== undefined && !found.has(platform.deploymentId))
      found.set(platform.deploymentId, platform.identity);
  }
  return found;
}

/**
 * A series' labels as the rules see them: an engine series with the identity of its deployment attached, when
 * `identities` has it; any other series as it came (and `attached` undefined).
 */
export function withIdentity(
  name: string,
  labels: LabelPairs,
  identities: ReadonlyMap<string, DeploymentIdentity>,
): { labels: LabelPairs; attached?: Attached & { deploymentId: string } } {
  if (!isEngineSeries(name)) return { labels };
  const deploymentId = engineDeployment(labels);
  const identity = deploymentId === undefined ? undefined : identities.get(deploymentId);
  if (identity === undefined) return { labels };
  const attached = attachIdentity(labels, identity);
  return { labels: attached.labels, attached: { ...attached, deploymentId: deploymentId! } };
}
