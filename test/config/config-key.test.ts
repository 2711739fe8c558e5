/**
 * Every config key is whole: declared once (src/config/upstream.ts UPSTREAM, src/config/targets.ts TARGET), it
 * is read from `upstream:` and from a `targets:` entry, has its default, is known to "did you mean" and shown by
 * the config view in the file's units, reading back as the same config. A new key fails here until this test
 * sets it (EVERY_UPSTREAM_KEY) to a value other than its default.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeKeys } from '../../src/config/config-key.js';
import {
  buildConfig,
  ConfigError,
  DEFAULT_UPSTREAM,
  TARGET,
  targetView,
  UPSTREAM,
  upstreamView,
  type UpstreamConfig,
} from '../../src/config/index.js';
import { UPSTREAM_KEYS } from '../../src/config/upstream.js';
import { Decoder } from '../../src/decode/index.js';

const dir = mkdtempSync(join(tmpdir(), 'config-key-'));
const SECRET = '0123456789abcdef0123456789abcdef';
writeFileSync(join(dir, 'api_key'), `abcdefgh.${SECRET}\n`);
writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\n(a CA)\n-----END CERTIFICATE-----\n');

/** Each upstream key set to a value that is not its default. */
const EVERY_UPSTREAM_KEY: Record<string, unknown> = {
  url: 'http://baseten.example/metrics',
  interval: '30s',
  timeout: '15s',
  connect_timeout: '5s',
  max_staleness: '10m',
  max_requests_per_minute: 3,
  api_key_file: 'api_key',
  auth_scheme: 'Bearer',
  body_size_limit: '32MiB',
  sample_limit: 1000,
  label_limit: 30,
  label_name_length_limit: 100,
  label_value_length_limit: 200,
  max_invalid_line_ratio: 0.5,
  sample_timestamps: false,
  engine_identity: false,
  allow_insecure_http: true,
  tls_config: { ca_file: 'ca.pem', insecure_skip_verify: true },
};

function load(raw: unknown) {
  try {
    return buildConfig(raw, 'test.yml', dir);
  } catch (err) {
    if (err instanceof ConfigError) throw new Error(err.problems.join('\n'));
    throw err;
  }
}

function problemsOf(raw: unknown): string[] {
  try {
    buildConfig(raw, 'test.yml', dir);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

const fields = Object.keys(UPSTREAM) as Array<keyof UpstreamConfig>;

describe('upstream keys', () => {
  it('are all set by this test', () => {
    expect(Object.keys(EVERY_UPSTREAM_KEY).sort()).toEqual([...UPSTREAM_KEYS].sort());
  });

  it('are read from upstream: and from a targets: entry alike, each into a value other than its default', () => {
    const single = load({ upstream: EVERY_UPSTREAM_KEY }).targets[0]!.upstream;
    const entry = { name: 'prod', labels: { workspace: 'prod' }, ...EVERY_UPSTREAM_KEY };
    expect(load({ targets: [entry] }).targets[0]!.upstream).toEqual(single);
    for (const field of fields) expect([field, single[field]]).not.toEqual([field, DEFAULT_UPSTREAM[field]]);
  });

  it('are all shown by the view, under their names in the file, and read back as the same config', () => {
    const upstream = load({ upstream: EVERY_UPSTREAM_KEY }).targets[0]!.upstream;
    const view = upstreamView(upstream);
    expect(Object.keys(view)).toEqual(UPSTREAM_KEYS);
    expect(load({ upstream: view }).targets[0]!.upstream).toEqual(upstream);
    // A path, never the key it holds (nor the CA's PEM, which the config keeps).
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(JSON.stringify(view)).not.toContain('BEGIN CERTIFICATE');
  });

  it('are each their default when not set, without a problem', () => {
    const section = new Decoder({}, 'upstream');
    const read: Record<string, unknown> = decodeKeys(UPSTREAM, section, {
      baseDir: dir,
      path: 'upstream',
      section: 'upstream',
    });
    for (const [field, key] of Object.entries(UPSTREAM)) expect([field, read[field]]).toEqual([field, key.default]);
    expect(section.problems).toEqual([]);
  });

  it.each(UPSTREAM_KEYS)('%s at the top level is placed under upstream:', (key) => {
    expect(problemsOf({ [key]: EVERY_UPSTREAM_KEY[key] })).toEqual([
      `${key}: belongs under upstream: (as upstream.${key}), or under each entry of targets:`,
    ]);
  });

  it('refuses a key not declared, naming the closest declared one', () => {
    expect(problemsOf({ upstream: { sample_limits: 5 } })).toEqual([
      'upstream.sample_limits: unknown field (did you mean "sample_limit"?)',
    ]);
  });
});

describe('target keys', () => {
  const entry = {
    name: 'prod',
    labels: { workspace: 'prod' },
    metric_relabel_configs: [{ action: 'labeldrop', regex: 'pod' }],
    url: 'https://baseten.example/metrics',
  };

  it('are read from a targets: entry, each into a value other than its default', () => {
    const target: Record<string, unknown> = load({ targets: [entry] }).targets[0]!;
    for (const [field, key] of Object.entries(TARGET)) expect([field, target[field]]).not.toEqual([field, key.default]);
  });

  it('are all shown by the view of a target, beside its upstream keys', () => {
    const view = targetView(load({ targets: [entry] }).targets[0]!);
    expect(Object.keys(view)).toEqual([...Object.values(TARGET).map((key) => key.view ?? key.yaml), 'upstream']);
    expect(view).toMatchObject({ target: 'prod', labels: { workspace: 'prod' } });
  });

  it('are each their default when not set, or a problem when required', () => {
    const section = new Decoder({}, 'targets[0]');
    const read: Record<string, unknown> = decodeKeys(TARGET, section, { index: 0, seen: new Map(), labels: {} });
    const keys = Object.entries(TARGET);
    for (const [field, key] of keys) if (!key.required) expect([field, read[field]]).toEqual([field, key.default]);
    const required = keys.filter(([, key]) => key.required).map(([, key]) => `targets[0].${key.yaml}`);
    expect(section.problems.map((problem) => problem.split(':')[0])).toEqual(required);
  });

  it('are known in a targets: entry only', () => {
    const problems = problemsOf({ upstream: { labels: { workspace: 'prod' } } });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^upstream\.labels: unknown field/);
  });
});
