import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';

const fixture = (name: string) => resolve(__dirname, '../testdata/config', name);

function problemsOf(name: string): string[] {
  try {
    loadConfig(fixture(name));
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error(`${name} loaded without errors`);
}

describe('loadConfig', () => {
  it('applies the defaults without a file', () => {
    const config = loadConfig(undefined);
    expect(config.upstream).toEqual({ url: 'https://app.baseten.co/metrics', intervalMs: 60_000, timeoutMs: 20_000, maxStalenessMs: 300_000 });
    expect(config.relabel.rules).toHaveLength(0);
    expect(config.origin).toBe('(defaults)');
  });

  it('reads every field and resolves the key file against the config folder', () => {
    const config = loadConfig(fixture('valid-full.yml'));
    expect(config.upstream.intervalMs).toBe(90_000);
    expect(config.upstream.timeoutMs).toBe(20_000);
    expect(config.upstream.maxStalenessMs).toBe(600_000);
    expect(config.upstream.apiKeyFile).toBe(fixture('secrets/baseten_api_key'));
    expect(config.relabel.rules).toHaveLength(1);
  });

  it.each([
    ['invalid-unknown-keys.yml', ['upstream.intervall: unknown field (did you mean "interval"?)', 'metric_relabel_config: unknown field (did you mean "metric_relabel_configs"?)']],
    ['invalid-interval-too-short.yml', ["upstream.interval: below 10s would exceed Baseten's limit of 6 requests per minute (use 10s or more; 60s is recommended)"]],
    ['invalid-timeout-not-below-interval.yml', ['upstream.timeout: must be below upstream.interval (e.g. timeout 20s with interval 60s)']],
    [
      'invalid-bad-durations.yml',
      ['upstream.interval: 60 is not a duration (use Prometheus syntax, e.g. 60s or 1m30s)', 'upstream.timeout: "20 seconds" is not a duration (use Prometheus syntax, e.g. 60s or 1m30s)'],
    ],
    ['invalid-url.yml', ['upstream.url: scheme ftp: is not supported (use https://)']],
  ])('%s reports every problem with its field path', (name, expected) => {
    const problems = problemsOf(name);
    for (const p of expected) expect(problems).toContain(p);
  });

  it('reports YAML syntax errors with the line', () => {
    const [problem] = problemsOf('invalid-yaml-syntax.yml');
    expect(problem).toMatch(/^line \d+ column \d+: YAML syntax error/);
  });

  it('collects upstream and relabel problems together', () => {
    const problems = problemsOf('invalid-relabel-and-upstream.yml');
    expect(problems.some((p) => p.startsWith('upstream.interval:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('metric_relabel_configs[0]'))).toBe(true);
  });

  it('names a missing file', () => {
    expect(problemsOf('does-not-exist.yml')).toEqual(['cannot read the file (ENOENT); check --config.file']);
  });
});
