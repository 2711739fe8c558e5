import { describe, expect, it } from 'vitest';
import { buildConfig, ConfigError, inShard, parseShard, shardOf } from '../../src/config/index.js';
import { compileRelabelConfigs, relabelWithTrace } from '../../src/relabel/index.js';

function problemsOf(raw: unknown): string[] {
  try {
    buildConfig(raw, 'test.yml', '/etc/bridge');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('loaded without errors');
}

const target = (name: string, workspace: string, extra: Record<string, unknown> = {}) => ({
  name,
  url: `https://${name}.example/metrics`,
  labels: { workspace },
  ...extra,
});

describe('targets:', () => {
  it('reads each target with its own fields, key file, rules and static labels', () => {
    const config = buildConfig(
      {
        targets: [
          target('prod', 'prod', {
            interval: '30s',
            api_key_file: 'keys/prod',
            metric_relabel_configs: [{ action: 'labeldrop', regex: 'pod' }],
          }),
          target('staging', 'staging', { max_requests_per_minute: 2 }),
        ],
      },
      'test.yml',
      '/etc/bridge',
    );
    expect(config.targets.map((t) => t.name)).toEqual(['prod', 'staging']);
    const [prod, staging] = config.targets;
    expect(prod!.upstream.intervalMs).toBe(30_000);
    expect(prod!.upstream.apiKeyFile).toBe('/etc/bridge/keys/prod');
    expect(staging!.upstream.intervalMs).toBe(60_000);
    expect(staging!.upstream.maxRequestsPerMinute).toBe(2);
    expect(prod!.labels).toEqual({ workspace: 'prod' });
    // The static label comes after the target's own rules, so no rule of the user can remove it.
    expect(prod!.relabel).toHaveLength(2);
  });

  it('puts static labels on every series, over a label of the same name from upstream, with $ taken literally', () => {
    const config = buildConfig(
      {
        targets: [
          target('a', 'cost$1 center', { metric_relabel_configs: [{ action: 'labeldrop', regex: 'workspace' }] }),
        ],
      },
      't',
      '/',
    );
    const input = new Map([
      ['__name__', 'baseten_inference_requests_total'],
      ['workspace', 'from-upstream'],
    ]);
    const { result } = relabelWithTrace(input, compileRelabelConfigs(config.targets[0]!.relabel));
    expect(result?.get('workspace')).toBe('cost$1 center');
  });

  it('keeps the single upstream: form as one target named default', () => {
    const config = buildConfig({ upstream: { interval: '30s' } }, 't', '/');
    expect(config.targets).toHaveLength(1);
    expect(config.targets[0]!.name).toBe('default');
    expect(config.targets[0]!.labels).toEqual({});
  });

  it.each([
    [{ targets: [] }, ['targets: the list is empty (list at least one, or use upstream: for a single workspace)']],
    [
      { targets: [{ url: 'https://a.example/metrics' }] },
      ['targets[0].name: missing; give each target a short name of letters, digits, _ . - (e.g. prod)'],
    ],
    [
      { targets: [target('a', 'x'), target('a', 'y')] },
      ['targets[1].name: "a" is already the name of targets[0]; names must be unique'],
    ],
    [
      { targets: [target('prod', 'prod'), target('prod-eu', 'prod')] },
      [
        'targets[1] ("prod-eu") could serve the same series as targets[0] ' +
          '("prod"): give both a label under labels: with different values (e.g. ' +
          'workspace: prod and workspace: prod-eu)',
      ],
    ],
    [
      {
        targets: [
          { name: 'a', labels: { workspace: 'a' } },
          { name: 'b', labels: { team: 'b' } },
        ],
      },
      [
        'targets[1] ("b") could serve the same series as targets[0] ("a"): ' +
          'give both a label under labels: with different values (e.g. ' +
          'workspace: a and workspace: b)',
      ],
    ],
    [
      { targets: [{ name: 'a', labels: { __meta: 'x', '0bad': 'y', n: 1 } }] },
      [
        'targets[0].labels.__meta: not a usable label name (letters, digits and _, not starting with a digit or __)',
        'targets[0].labels.0bad: not a usable label name (letters, digits and _, not starting with a digit or __)',
        'targets[0].labels.n: the value must be a non-empty string (quote it: n: "1")',
      ],
    ],
    [
      { targets: [target('a', 'a', { intervall: '30s' })] },
      ['targets[0].intervall: unknown field (did you mean "interval"?)'],
    ],
    [
      { targets: [target('a', 'a', { interval: '5s', timeout: '2s' })] },
      [
        'targets[0].interval: 5s means 12 requests per minute, above ' +
          'targets[0].max_requests_per_minute (5); use 12s or more, or raise ' +
          'targets[0].max_requests_per_minute (at most 6, which allows 10s); 60s is recommended',
      ],
    ],
    [
      { upstream: {}, targets: [target('a', 'a')] },
      ['upstream: use either upstream: (one workspace) or targets: (several), not both'],
    ],
    [
      { metric_relabel_configs: [], targets: [target('a', 'a')] },
      ["metric_relabel_configs: with targets:, put the rules under each target's metric_relabel_configs"],
    ],
    [
      { targets: [target('a', 'a', { metric_relabel_configs: [{ action: 'explode' }] })] },
      [
        'targets[0].metric_relabel_configs[0].action: unknown relabel action ' +
          '"explode" (use one of: replace, keep, drop, keepequal, dropequal, ' +
          'hashmod, labelmap, labeldrop, labelkeep, lowercase, uppercase)',
      ],
    ],
    [{ upstream: {}, shard: '3/3' }, ['shard: "3/3": i must be from 0 to n-1 and n at least 1 (e.g. 2/3)']],
    [{ upstream: {}, shard: 1 }, ['shard: 1 is not i/n (quote it: shard: "0/3")']],
    [
      { upstream: {}, shard: 'one of three' },
      [
        'shard: "one of three" is not i/n (e.g. 0/3 for the first of three ' +
          'replicas, or $(POD_NAME)/3 in a StatefulSet)',
      ],
    ],
  ])('reports %j as one line per problem', (raw, expected) => {
    expect(problemsOf(raw)).toEqual(expected);
  });
});

describe('sharding', () => {
  it('parses i/n and refuses what is not', () => {
    expect(parseShard('2/3')).toEqual({ shard: { index: 2, count: 3 } });
    expect(parseShard('0/1')).toEqual({ shard: { index: 0, count: 1 } });
    // A StatefulSet pod name carries its ordinal: --shard=$(POD_NAME)/3.
    expect(parseShard('baseten-bridge-2/3')).toEqual({ shard: { index: 2, count: 3 } });
    expect(parseShard('baseten-bridge-3/3').problem).toContain('i must be from 0 to n-1');
    expect(parseShard('3/3').problem).toContain('i must be from 0 to n-1');
    expect(parseShard('a/3').problem).toContain('is not i/n');
    expect(parseShard('1/0').problem).toContain('n at least 1');
  });

  it('assigns each of 10 targets to exactly one of 3 shards, the same way every time', () => {
    const targets = Array.from({ length: 10 }, (_, i) => ({ name: `workspace-${i}` }));
    const shards = [0, 1, 2].map((index) => inShard(targets, { index, count: 3 }).map((t) => t.name));
    const all = shards.flat();
    expect(all.sort()).toEqual(targets.map((t) => t.name).sort());
    expect(new Set(all).size).toBe(10);
    // Every shard gets some work with these names (a split that left one empty would waste a replica).
    for (const shard of shards) expect(shard.length).toBeGreaterThan(0);
    expect(inShard(targets, { index: 1, count: 3 })).toEqual(inShard(targets, { index: 1, count: 3 }));
  });

  it("uses the MD5 hashmod of Prometheus's relabeling", () => {
    const rules = buildConfig(
      {
        upstream: {},
        metric_relabel_configs: [{ source_labels: ['t'], modulus: 3, target_label: 'shard', action: 'hashmod' }],
      },
      't',
      '/',
    ).targets[0]!.relabel;
    for (const name of ['prod', 'staging', 'workspace-7', 'bu-finance']) {
      const { result } = relabelWithTrace(
        new Map([
          ['__name__', 'x'],
          ['t', name],
        ]),
        compileRelabelConfigs(rules),
      );
      expect(String(shardOf(name, 3))).toBe(result?.get('shard'));
    }
  });
});
