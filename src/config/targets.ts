/**
 * What to fetch: one Baseten workspace per target. The single `upstream:` form is one target named `default`;
 * `targets:` lists several, each with its own key source, interval, rules and static labels. Static labels are
 * what keeps the series of two workspaces apart on one /metrics, so two targets that could serve the same series
 * are a config error.
 */
import { isValidLabelName } from '../exposition/index.js';
import { compileRelabelConfigs, RelabelConfigError } from '../relabel/index.js';
import type { RawTarget, RawUpstream } from './schema.js';
import { readUpstream, type UpstreamConfig } from './upstream.js';

export const DEFAULT_TARGET_NAME = 'default';
const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

export interface TargetConfig {
  /** Unique; the `target` label of the bridge's own metrics and the key of sharding. */
  name: string;
  /** Static labels put on every series of this target, after its metric_relabel_configs. */
  labels: Readonly<Record<string, string>>;
  upstream: UpstreamConfig;
  /**
   * The target's metric_relabel_configs as written, then one `replace` rule per static label. Checked here, at
   * load time; compiled where they run (the builder thread, relabel-test, the status page).
   */
  relabel: readonly unknown[];
  /** The config file it came from. */
  origin: string;
}

/** Where a target's rules sit in its file, for messages: `metric_relabel_configs`, or `targets[N].metric_relabel_configs`. */
export function rulesPath(config: { targets: readonly TargetConfig[] }, target: TargetConfig): string {
  const i = config.targets.indexOf(target);
  return config.targets.length === 1 && target.name === DEFAULT_TARGET_NAME ? 'metric_relabel_configs' : `targets[${i}].metric_relabel_configs`;
}

/** `$` starts a reference in a replacement; a literal one is written `$$`. */
function labelRule(name: string, value: string): Record<string, string> {
  return { action: 'replace', target_label: name, replacement: value.replaceAll('$', '$$$$') };
}

function readLabels(raw: unknown, path: string, problems: string[]): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`${path}: must be a map of label names to values (e.g. workspace: prod)`);
    return {};
  }
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!isValidLabelName(name) || name.startsWith('__')) {
      problems.push(`${path}.${name}: not a usable label name (letters, digits and _, not starting with a digit or __)`);
    } else if (typeof value !== 'string' || value === '') {
      problems.push(`${path}.${name}: the value must be a non-empty string (quote it: ${name}: "${String(value)}")`);
    } else {
      labels[name] = value;
    }
  }
  return labels;
}

/** The rules as written plus the static labels' rules, when they compile; their problems otherwise. */
function checkRules(raw: unknown, labels: Record<string, string>, path: string, problems: string[]): unknown[] | undefined {
  const own = raw === undefined || raw === null ? [] : raw;
  const relabel = Array.isArray(own) ? [...(own as unknown[]), ...Object.entries(labels).map(([n, v]) => labelRule(n, v))] : own;
  try {
    compileRelabelConfigs(relabel, path);
    return relabel as unknown[];
  } catch (err) {
    if (!(err instanceof RelabelConfigError)) throw err;
    problems.push(...err.problems);
    return undefined;
  }
}

/** The single `upstream:` form: one target named `default`. */
export function readSingleTarget(upstreamRaw: RawUpstream, rulesRaw: unknown, baseDir: string, origin: string): { targets: TargetConfig[]; problems: string[] } {
  const { upstream, problems } = readUpstream(upstreamRaw, baseDir);
  const relabel = checkRules(rulesRaw, {}, 'metric_relabel_configs', problems);
  return { targets: relabel ? [{ name: DEFAULT_TARGET_NAME, labels: {}, upstream, relabel, origin }] : [], problems };
}

/** The `targets:` list. */
export function readTargets(raw: RawTarget[], baseDir: string, origin: string): { targets: TargetConfig[]; problems: string[] } {
  const problems: string[] = [];
  const targets: TargetConfig[] = [];
  if (raw.length === 0) problems.push('targets: the list is empty (list at least one, or use upstream: for a single workspace)');
  const seen = new Map<string, number>();
  raw.forEach((entry, i) => {
    const path = `targets[${i}]`;
    const { name: rawName, labels: rawLabels, metric_relabel_configs: rules, ...upstreamRaw } = entry;
    let name = `target-${i}`;
    if (typeof rawName !== 'string' || !TARGET_NAME.test(rawName)) {
      problems.push(`${path}.name: ${rawName === undefined ? 'missing' : `${JSON.stringify(rawName)} is not usable`}; give each target a short name of letters, digits, _ . - (e.g. prod)`);
    } else if (seen.has(rawName)) {
      problems.push(`${path}.name: "${rawName}" is already the name of targets[${seen.get(rawName)}]; names must be unique`);
    } else {
      name = rawName;
      seen.set(rawName, i);
    }
    const labels = readLabels(rawLabels, `${path}.labels`, problems);
    const { upstream, problems: upstreamProblems } = readUpstream(upstreamRaw, baseDir, path);
    problems.push(...upstreamProblems);
    const relabel = checkRules(rules, labels, `${path}.metric_relabel_configs`, problems);
    if (relabel) targets.push({ name, labels, upstream, relabel, origin });
  });
  problems.push(...collisions(raw.length === targets.length ? targets : []));
  return { targets, problems };
}

/** Two targets are kept apart when some static label both carry has different values. */
function collisions(targets: readonly TargetConfig[]): string[] {
  const problems: string[] = [];
  for (let j = 1; j < targets.length; j++) {
    for (let i = 0; i < j; i++) {
      const a = targets[i]!;
      const b = targets[j]!;
      const apart = Object.entries(a.labels).some(([name, value]) => b.labels[name] !== undefined && b.labels[name] !== value);
      if (!apart) {
        problems.push(
          `targets[${j}] ("${b.name}") could serve the same series as targets[${i}] ("${a.name}"): give both a label under labels: with different values (e.g. workspace: ${a.name} and workspace: ${b.name})`,
        );
      }
    }
  }
  return problems;
}
