import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildConfig, ConfigError, loadConfig } from '../../src/config/index.js';

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
    expect(config.targets[0]!.upstream).toEqual({
      url: 'https://app.baseten.co/metrics',
      intervalMs: 60_000,
      timeoutMs: 20_000,
      connectTimeoutMs: 10_000,
      maxStalenessMs: 300_000,
      authScheme: 'Api-Key',
      maxRequestsPerMinute: 5,
      bodySizeLimitBytes: 64 * 2 ** 20,
      sampleLimit: 500_000,
      labelLimit: 0,
      labelNameLengthLimit: 0,
      labelValueLengthLimit: 0,
      maxInvalidLineRatio: 0.01,
      sampleTimestamps: true,
      engineIdentity: true,
      allowInsecureHttp: false,
      tls: { insecureSkipVerify: false },
    });
    expect(config.targets[0]!.relabel).toHaveLength(0);
    expect(config.origin).toBe('(defaults)');
  });

  it('reads every field and resolves the key file against the config folder', () => {
    const config = loadConfig(fixture('valid-full.yml'));
    expect(config.targets[0]!.upstream.intervalMs).toBe(90_000);
    expect(config.targets[0]!.upstream.timeoutMs).toBe(20_000);
    expect(config.targets[0]!.upstream.maxStalenessMs).toBe(600_000);
    expect(config.targets[0]!.upstream.apiKeyFile).toBe(fixture('secrets/baseten_api_key'));
    expect(config.targets[0]!.relabel).toHaveLength(1);
  });

  it.each([
    [
      'invalid-unknown-keys.yml',
      [
        'upstream.intervall: unknown field (did you mean "interval"?)',
        'metric_relabel_config: unknown field (did you mean "metric_relabel_configs"?)',
      ],
    ],
    [
      'invalid-interval-too-short.yml',
      [
        'upstream.interval: 5s means 12 requests per minute, above ' +
          'upstream.max_requests_per_minute (5); use 12s or more, or raise ' +
          'upstream.max_requests_per_minute (at most 6, which allows 10s); 60s is recommended',
      ],
    ],
    [
      'invalid-timeout-not-below-interval.yml',
      [
        'upstream.timeout: must be below upstream.interval (e.g. timeout 20s ' +
          'with interval 60s; leave timeout out and it follows the interval)',
      ],
    ],
    [
      'invalid-bad-durations.yml',
      [
        'upstream.interval: 60 is not a duration (use Prometheus syntax, e.g. 60s or 1m30s)',
        'upstream.timeout: "20 seconds" is not a duration (use Prometheus syntax, e.g. 60s or 1m30s)',
      ],
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

describe('upstream fields', () => {
  const problemsFor = (upstream: Record<string, unknown>): string[] => {
    try {
      buildConfig({ upstream }, 'inline', '/etc/bridge');
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
    return [];
  };

  it.each<[string, Record<string, unknown>, string]>([
    [
      'interval above the budget',
      { interval: '10s' },
      'upstream.interval: 10s means 6 requests per minute, above ' +
        'upstream.max_requests_per_minute (5); use 12s or more, or raise ' +
        'upstream.max_requests_per_minute (at most 6, which allows 10s); 60s is recommended',
    ],
    [
      'an interval the budget of 3 cannot afford names 20s',
      { interval: '5s', max_requests_per_minute: 3 },
      'upstream.interval: 5s means 12 requests per minute, above ' +
        'upstream.max_requests_per_minute (3); use 20s or more, or raise ' +
        'upstream.max_requests_per_minute (at most 6, which allows 10s); 60s is recommended',
    ],
    [
      'below 10s with the full budget',
      { interval: '5s', max_requests_per_minute: 6 },
      'upstream.interval: 5s means 12 requests per minute, above ' +
        "upstream.max_requests_per_minute (6); use 10s or more (Baseten's " +
        'limit is 6 per minute per organization); 60s is recommended',
    ],
    [
      'a body size limit without a unit',
      { body_size_limit: 64 },
      'upstream.body_size_limit: 64 bytes is below the floor of 64KiB, too ' +
        'small for any Baseten body (a bare number is bytes: write a unit, e.g. 64MiB)',
    ],
    [
      'budget above Baseten',
      { max_requests_per_minute: 7 },
      'upstream.max_requests_per_minute: 7 is not a whole number from 1 to 6 (Baseten allows 6 per organization)',
    ],
    [
      'plain http to a remote host',
      { url: 'http://app.baseten.co/metrics' },
      'upstream.url: plain http would send the API key unencrypted (use ' +
        'https://, or set upstream.allow_insecure_http: true)',
    ],
    [
      'credentials in the url',
      { url: 'https://u:p@app.baseten.co/metrics' },
      'upstream.url: must not carry credentials (the key comes from upstream.api_key_file or BASETEN_API_KEY)',
    ],
    ['a bad auth scheme', { auth_scheme: 'Basic' }, 'upstream.auth_scheme: "Basic" is not one of Api-Key, Bearer'],
    [
      'a bad body size',
      { body_size_limit: '64 lots' },
      'upstream.body_size_limit: "64 lots" is not a size (e.g. 64MiB, 512KB or a number of bytes)',
    ],
    [
      'a negative sample limit',
      { sample_limit: -1 },
      'upstream.sample_limit: -1 is not a whole number from 0 to 2147483647 (0 means no limit)',
    ],
    [
      'a ratio above 1',
      { max_invalid_line_ratio: 5 },
      'upstream.max_invalid_line_ratio: 5 is not a ratio from 0 to 1 (e.g. 0.01 for 1%)',
    ],
    [
      'connect timeout above timeout',
      { connect_timeout: '30s' },
      'upstream.connect_timeout: must be above 0 and at most upstream.timeout (e.g. 10s)',
    ],
    [
      'an unreadable CA file',
      { tls_config: { ca_file: 'missing-ca.pem' } },
      'upstream.tls_config.ca_file: cannot read /etc/bridge/missing-ca.pem (ENOENT); check the path',
    ],
    [
      'a typo in tls_config',
      { tls_config: { insecure_skip_verfy: true } },
      'upstream.tls_config.insecure_skip_verfy: unknown field (did you mean "insecure_skip_verify"?)',
    ],
    [
      'a non-boolean',
      { allow_insecure_http: 'yes' },
      'upstream.allow_insecure_http: must be true or false (got "yes")',
    ],
  ])('%s', (_name, upstream, problem) => {
    expect(problemsFor(upstream)).toContain(problem);
  });

  it.each<[string, Record<string, unknown>]>([
    ['loopback http', { url: 'http://127.0.0.1:8080/metrics' }],
    ['localhost http', { url: 'http://localhost:8080/metrics' }],
    ['remote http when allowed', { url: 'http://metrics.internal/metrics', allow_insecure_http: true }],
    ['10s with the full budget', { interval: '10s', timeout: '5s', max_requests_per_minute: 6 }],
    ['sizes in Prometheus units', { body_size_limit: '10MB' }],
  ])('accepts %s', (_name, upstream) => {
    expect(problemsFor(upstream)).toEqual([]);
  });

  // As Prometheus's scrape_timeout: a timeout that was not set follows a short interval instead of failing.
  it.each([
    ['20s', 19_000],
    ['12s', 11_000],
    ['21s', 20_000],
    ['60s', 20_000],
  ])('interval %s without a timeout → timeout %i ms, no error', (interval, timeoutMs) => {
    const config = buildConfig({ upstream: { interval } }, 'inline', '/etc/bridge');
    expect(config.targets[0]!.upstream.timeoutMs).toBe(timeoutMs);
    expect(config.targets[0]!.upstream.connectTimeoutMs).toBe(10_000);
  });
});

describe('misplaced keys say where they belong', () => {
  const problemsOf = (raw: unknown): string[] => {
    try {
      buildConfig(raw, 'inline', '/etc/bridge');
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
    return [];
  };

  it.each<[string, unknown, string]>([
    [
      'rules under upstream',
      { upstream: { metric_relabel_configs: [] } },
      'upstream.metric_relabel_configs: belongs at the top level, beside ' +
        'upstream: (not inside it), as in a Prometheus scrape config',
    ],
    [
      'the key in the file',
      { upstream: { api_key: 'x' } },
      'upstream.api_key: the API key never goes in the config file; put it ' +
        'alone in a file readable only by the bridge and set ' +
        'upstream.api_key_file (or BASETEN_API_KEY_FILE)',
    ],
    [
      'the key at the top level',
      { api_key: 'x' },
      'api_key: the API key never goes in the config file; put it alone in a ' +
        'file readable only by the bridge and set upstream.api_key_file (or ' +
        'BASETEN_API_KEY_FILE)',
    ],
    [
      'a top-level url',
      { url: 'https://app.baseten.co/metrics' },
      'url: belongs under upstream: (as upstream.url), or under each entry of targets:',
    ],
    [
      'a key in a target',
      { targets: [{ name: 'a', api_key: 'x' }] },
      'targets[0].api_key: the API key never goes in the config file; put it ' +
        'alone in a file readable only by the bridge and set ' +
        'targets[].api_key_file (or BASETEN_API_KEY_FILE)',
    ],
  ])('%s', (_what, raw, problem) => {
    expect(problemsOf(raw)).toEqual([problem]);
  });
});
