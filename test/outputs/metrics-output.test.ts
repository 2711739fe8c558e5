/**
 * The merged /metrics exposition as an output: what it serves from the snapshots pushed to it, freshness per
 * target, the order of the targets across reloads, the cached merge and a type conflict said once.
 */
import { describe, expect, it } from 'vitest';
import { buildConfig } from '../../src/config/index.js';
import { createLogger, SecretRegistry } from '../../src/log/index.js';
import { MetricsOutput, type ReplicaConfig } from '../../src/outputs/index.js';
import { mergeSnapshots, type Snapshot } from '../../src/snapshot/index.js';
import { buildSnapshot } from '../helpers/snapshot.js';

const NOW = 1_700_000_000_000;

/** Targets named `names`, each with a max_staleness of 60 s. */
function replica(names: string[]): ReplicaConfig {
  const targets = names.map((name) => ({
    name,
    url: 'http://127.0.0.1:1/metrics',
    api_key_file: '/dev/null',
    max_staleness: '60s',
    labels: { workspace: name },
  }));
  const config = buildConfig({ targets }, 'test.yml', '/');
  return { config, shard: undefined, targets: config.targets };
}

/** A target's snapshot of one gauge (or another type, for a conflict). */
function snapshotOf(workspace: string, { type = 'gauge', fetchedAtMs = NOW } = {}): Snapshot {
  const body = `# TYPE baseten_replicas_active ${type}\nbaseten_replicas_active{workspace="${workspace}"} 1\n`;
  return buildSnapshot(body, fetchedAtMs);
}

const text = (parts: readonly Buffer[] | undefined) => Buffer.concat(parts ?? []).toString();
/** What /metrics serves for these snapshots, in this order. */
const mergeOf = (...snapshots: Snapshot[]) => text(mergeSnapshots(snapshots).text);

function setUp(names: string[]) {
  const warnings: string[] = [];
  const secrets = new SecretRegistry();
  const logger = createLogger({ level: 'warn', format: 'logfmt', secrets, write: (line) => warnings.push(line) });
  const output = new MetricsOutput(replica(names), { logger, now: () => NOW });
  const all = replica(['a', 'b', 'c']).targets;
  const push = (snapshot: Snapshot, name: string) =>
    output.push(
      snapshot,
      all.find((t) => t.name === name)!,
    );
  const served = () => text(output.servable()?.text);
  return { output, push, served, warnings };
}

describe('the /metrics output', () => {
  it('serves nothing before a push, then the merge of every target in config order', () => {
    const { output, push, served } = setUp(['a', 'b']);
    expect(output.servable()).toBeUndefined();
    const [a, b] = [snapshotOf('a'), snapshotOf('b')];
    push(b, 'b');
    push(a, 'a');
    expect(served()).toBe(mergeOf(a, b));
  });

  it('leaves out a target whose last snapshot is older than its max_staleness', () => {
    const { output, push, served } = setUp(['a', 'b']);
    push(snapshotOf('a', { fetchedAtMs: NOW - 60_001 }), 'a');
    expect(output.servable()).toBeUndefined();
    const b = snapshotOf('b', { fetchedAtMs: NOW - 60_000 });
    push(b, 'b');
    expect(served()).toBe(mergeOf(b));
  });

  it('on a reload, drops a removed target and serves an added one after those it kept', () => {
    const { output, push, served } = setUp(['a', 'b']);
    const [a, b, c] = [snapshotOf('a'), snapshotOf('b'), snapshotOf('c')];
    push(a, 'a');
    push(b, 'b');
    output.reconfigure(replica(['c', 'b']));
    expect(served()).toBe(mergeOf(b));
    push(c, 'c');
    expect(served()).toBe(mergeOf(b, c));
  });

  it('merges again only when a snapshot changes', () => {
    const { output, push } = setUp(['a', 'b']);
    push(snapshotOf('a'), 'a');
    push(snapshotOf('b'), 'b');
    const first = output.servable();
    expect(output.servable()).toBe(first);
    push(snapshotOf('b'), 'b');
    expect(output.servable()).not.toBe(first);
  });

  it('leaves out a family a later target gives another type, and says so once', () => {
    const { push, served, warnings } = setUp(['a', 'b']);
    const a = snapshotOf('a');
    push(a, 'a');
    push(snapshotOf('b', { type: 'counter' }), 'b');
    expect(served()).toBe(mergeOf(a));
    push(snapshotOf('b', { type: 'counter' }), 'b');
    expect(served()).toBe(mergeOf(a));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      'msg="a family has another type in an earlier target; left out of /metrics for this target ' +
        '(check its metric_relabel_configs)" target=b family=baseten_replicas_active',
    );
  });

  it('has nothing to send when it closes', async () => {
    await expect(setUp(['a']).output.close()).resolves.toBeUndefined();
  });
});
