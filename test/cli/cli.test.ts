/** The built command as a user runs it: flags, subcommands, exit codes, one-line errors. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey, startSimulator, type RunningSimulator } from '../../src/demo/index.js';
import { childEnv, runBridge } from '../helpers/bridge-process.js';
import { leakFinder } from '../helpers/leaks.js';

const home = mkdtempSync(join(tmpdir(), 'bridge-cli-home-'));
const fixture = (name: string) => resolve(__dirname, '../testdata/config', name);

describe('baseten-bridge flags', () => {
  it('--help lists the flags and commands', async () => {
    const { code, stdout } = await runBridge(['--help'], childEnv({}, home));
    expect(code).toBe(0);
    for (const word of [
      '--config.file',
      '--web.listen-address',
      '--web.telemetry-path',
      '--log.level',
      '--log.format',
      'check-config',
      'once',
      'demo',
      'relabel-test',
    ]) {
      expect(stdout).toContain(word);
    }
  });

  it('--help lists every flag the README documents', async () => {
    const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('### Flags'), readme.indexOf('### Endpoints'));
    const documented = [...table.matchAll(/^\| `(--?[a-z][a-z.-]*)/gm)].map((m) => m[1]!);
    expect(documented).toEqual(expect.arrayContaining(['--config.file', '--shard', '--target', '--probe']));
    const { stdout } = await runBridge(['--help'], childEnv({}, home));
    for (const flag of documented) expect(stdout, flag).toContain(flag);
  });

  it('--version prints the version', async () => {
    const { code, stdout } = await runBridge(['--version'], childEnv({}, home));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^baseten-bridge, version \d+\.\d+\.\d+ \(node v20/);
  });

  it.each([
    [['--api-key=abc.def'], "baseten-bridge: Unknown option '--api-key' (see baseten-bridge --help)"],
    [['--log.level=loud'], 'baseten-bridge: --log.level: "loud" is not one of debug, info, warn, error'],
    [
      ['frobnicate'],
      'baseten-bridge: unknown command "frobnicate" (commands: check-config, once, relabel-test, rules, demo)',
    ],
    [['--web.telemetry-path=metrics'], 'baseten-bridge: --web.telemetry-path: "metrics" must start with /'],
    [
      ['--memory.limit=512M'],
      'baseten-bridge: --memory.limit: "512M" is not a memory size above 0 (e.g. 512MiB, 1GiB, or bytes)',
    ],
    [
      ['--memory.limit=0'],
      'baseten-bridge: --memory.limit: "0" is not a memory size above 0 (e.g. 512MiB, 1GiB, or bytes)',
    ],
    [
      ['rules', '--alerts=models', '--gpu.memory-full-ratio=95'],
      'baseten-bridge: --gpu.memory-full-ratio: "95" is not a ratio between 0 and 1 (0.95 is 95 %)',
    ],
    [
      ['rules', '--alerts=bridge', '--gpu.memory-mib=23028'],
      'baseten-bridge: rules: --gpu.memory-mib and --gpu.memory-full-ratio ' +
        'set the GPU alert of --alerts=models; --alerts=bridge has none',
    ],
    [
      ['rules', '--alerts=models', '--engine.ttft-p99=2,5s'],
      'baseten-bridge: --engine.ttft-p99: "2,5s" is not a duration above 0 such as 2.5s, 800ms or 1m',
    ],
    [
      ['rules', '--slo=slos.yml', '--engine.ttft-p99=3s'],
      'baseten-bridge: rules: --engine.ttft-p99 sets an engine alert of --alerts=models; --slo has none',
    ],
    [
      ['rules', '--alerts=models', '--bridge.selector=job="baseten-eu"'],
      "baseten-bridge: rules: --bridge.selector selects the bridge's own " +
        'series in --alerts=bridge; --alerts=models has none',
    ],
    [
      ['rules', '--alerts=bridge', '--bridge.selector=job=baseten-eu'],
      'baseten-bridge: --bridge.selector: "job=baseten-eu" is not a list of ' +
        'PromQL label matchers without braces (e.g. job="baseten-eu" or ' +
        'job=~"baseten.*",cluster="prod")',
    ],
    [
      ['rules', '--alerts=bridge', '--bridge.selector={job="baseten-eu"}'],
      'baseten-bridge: --bridge.selector: "{job="baseten-eu"}" is not a list ' +
        'of PromQL label matchers without braces (e.g. job="baseten-eu" or ' +
        'job=~"baseten.*",cluster="prod")',
    ],
    [
      ['rules', '--alerts=models', '--runbook.base-url=docs/DASHBOARDS.md'],
      'baseten-bridge: --runbook.base-url: "docs/DASHBOARDS.md" is not an ' +
        'absolute http(s) URL: Alertmanager and Grafana open it from a ' +
        'notification, away from this repository (e.g. ' +
        'https://wiki.example.com/baseten-runbooks)',
    ],
  ])('%j → one line and exit 1', async (args, line) => {
    const { code, stderr } = await runBridge(args, childEnv({}, home));
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(line);
  });
});

describe('baseten-bridge check-config', () => {
  const key = 'abcdefgh.0123456789abcdef0123456789abcdef';

  it('prints a one-line summary naming the key by its prefix and source', async () => {
    const { code, stdout, stderr } = await runBridge(['check-config'], childEnv({ BASETEN_API_KEY: key }, home));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(
      '(defaults): OK: upstream https://app.baseten.co/metrics every 1m ' +
        '(timeout 20s, max staleness 5m), 0 relabel rule(s), key abcdefgh.*** ' +
        'from BASETEN_API_KEY',
    );
  });

  it('prints every error with its field path and exits 1', async () => {
    const { code, stderr } = await runBridge(
      ['check-config', `--config.file=${fixture('invalid-unknown-keys.yml')}`],
      childEnv({ BASETEN_API_KEY: key }, home),
    );
    expect(code).toBe(1);
    expect(stderr).toContain('upstream.intervall: unknown field (did you mean "interval"?)');
    expect(stderr).toContain('metric_relabel_config: unknown field (did you mean "metric_relabel_configs"?)');
  });

  it.each([
    ['single', "'"],
    ['double', '"'],
  ])('takes a key file in %s quotes without them, and says so', async (_name, quote) => {
    const quoted = generateApiKey();
    const dir = mkdtempSync(join(tmpdir(), 'bridge-quoted-key-'));
    writeFileSync(join(dir, 'key'), `${quote}${quoted}${quote}\n`, { mode: 0o400 });
    const { code, stdout, stderr } = await runBridge(
      ['check-config'],
      childEnv({ BASETEN_API_KEY_FILE: join(dir, 'key') }, dir),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(
      `(defaults): OK: upstream https://app.baseten.co/metrics every 1m ` +
        `(timeout 20s, max staleness 5m), 0 relabel rule(s), key ` +
        `${quoted.split('.')[0]}.*** from BASETEN_API_KEY_FILE ` +
        `${join(dir, 'key')}\n` +
        '  warning: the key source puts the key in quotes; using the key without them (store the key alone)\n',
    );
    expect(leakFinder(quoted)({ stdout, stderr })).toEqual([]);
  });

  it('refuses a key file with a quote left inside the key, naming the file and the fix', async () => {
    const quoted = generateApiKey();
    const dir = mkdtempSync(join(tmpdir(), 'bridge-quoted-key-'));
    writeFileSync(join(dir, 'key'), `'${quoted}\n`, { mode: 0o400 });
    const { code, stdout, stderr } = await runBridge(
      ['check-config'],
      childEnv({ BASETEN_API_KEY_FILE: join(dir, 'key') }, dir),
    );
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `baseten-bridge: api key: BASETEN_API_KEY_FILE ${join(dir, 'key')} ` +
        `contains a quote character inside the key (store the key alone, ` +
        `without quotes)\n`,
    );
    expect(leakFinder(quoted)({ stdout, stderr })).toEqual([]);
  });

  it('names every place it looked for a missing key, in one line', async () => {
    const { code, stderr } = await runBridge(['check-config'], childEnv({}, home));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(
      'upstream.api_key_file (not set), BASETEN_API_KEY_FILE (not set), BASETEN_API_KEY (not set)',
    );
    expect(stderr).toContain('.trussrc');
  });
});

describe('baseten-bridge once', () => {
  const key = generateApiKey();
  let simulator: RunningSimulator;
  let configFile: string;

  beforeAll(async () => {
    simulator = await startSimulator({ apiKey: key });
    const dir = mkdtempSync(join(tmpdir(), 'bridge-once-'));
    configFile = join(dir, 'bridge.yml');
    writeFileSync(
      configFile,
      `upstream:\n  url: ${simulator.url}\n  interval: 15s\n  timeout: ` +
        `5s\nmetric_relabel_configs:\n  - action: drop\n    source_labels: ` +
        `[__name__]\n    regex: 'baseten_(request|response)_size_bytes_.*'\n`,
    );
  });

  afterAll(async () => {
    await simulator?.close();
  });

  it('prints the relabeled exposition on stdout', async () => {
    const { code, stdout, stderr } = await runBridge(
      ['once', `--config.file=${configFile}`],
      childEnv({ BASETEN_API_KEY: key }, home),
    );
    expect(stderr).not.toContain('level=warn');
    expect(code).toBe(0);
    expect(stdout).toContain('# TYPE baseten_end_to_end_response_time_seconds histogram');
    expect(stdout).not.toContain('baseten_request_size_bytes');
    expect(leakFinder(key)({ stdout, stderr })).toEqual([]);
  });

  it('exits non-zero and says why when the key is rejected', async () => {
    const { code, stdout, stderr } = await runBridge(
      ['once', `--config.file=${configFile}`],
      childEnv({ BASETEN_API_KEY: 'zzzzzzzz.wrongwrongwrongwrongwrongwrong' }, home),
    );
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/level=warn msg="fetch failed" reason=auth err="upstream rejected the key \(HTTP 40[13]\)"/);
    expect(stderr).not.toContain('/metrics');
    expect(stderr).not.toContain('wrongwrongwrong');
  });
});

describe('baseten-bridge check-config --probe', () => {
  let simulator: RunningSimulator;
  const key = generateApiKey();
  let configFile: string;
  let dir: string;

  beforeAll(async () => {
    simulator = await startSimulator({ apiKey: key });
    dir = mkdtempSync(join(tmpdir(), 'bridge-probe-'));
    configFile = join(dir, 'bridge.yml');
    writeFileSync(configFile, `upstream:\n  url: ${simulator.url}\n  interval: 15s\n  timeout: 5s\n`);
  });

  afterAll(async () => {
    await simulator?.close();
  });

  it('says the key works after one request', async () => {
    const { code, stdout } = await runBridge(
      ['check-config', '--probe', `--config.file=${configFile}`],
      childEnv({ BASETEN_API_KEY: key }, dir),
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^probe: OK: the key works; \d+ series read, \d+ after relabeling$/m);
    expect(simulator.requests.at(-1)).toMatchObject({ status: 200, authorized: true });
  });

  it('says the key is rejected, by prefix only', async () => {
    const wrong = 'wrongkey.0123456789abcdef0123456789abcdef';
    const { code, stdout, stderr } = await runBridge(
      ['check-config', '--probe', `--config.file=${configFile}`],
      childEnv({ BASETEN_API_KEY: wrong }, dir),
    );
    expect(code).toBe(1);
    expect(stdout).toContain('key wrongkey.*** from BASETEN_API_KEY');
    expect(stdout).toMatch(
      /^probe: FAILED: auth: upstream rejected the key \(HTTP 403\) \(create a metrics-only workspace key/m,
    );
    // A command that serves nothing says only that the fetch failed, not what /metrics would serve.
    expect(stderr).toMatch(
      new RegExp(
        String.raw`^ts=\S+ level=warn msg="fetch failed" reason=auth ` +
          String.raw`err="upstream rejected the key \(HTTP 403\)" ` +
          String.raw`key=wrongkey\.\*\*\* key_source=BASETEN_API_KEY ` +
          String.raw`data_age_seconds=none target=default\n$`,
      ),
    );
    expect(leakFinder(wrong)({ stdout, stderr })).toEqual([]);
  });
});

describe('baseten-bridge rules --alerts', () => {
  it('prints the shipped alerts with the parameters the flags give', async () => {
    const { code, stdout, stderr } = await runBridge(
      ['rules', '--alerts=bridge', '--runbook.base-url=https://wiki.example.com/ml/runbooks'],
      childEnv({}, home),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('runbook_url: https://wiki.example.com/ml/runbooks#basetenbridgedown\n');
  });

  it('--gpu.memory-mib and --gpu.memory-full-ratio reach the GPU alert', async () => {
    const { code, stdout, stderr } = await runBridge(
      ['rules', '--alerts=models', '--gpu.memory-mib=23028', '--gpu.memory-full-ratio=0.9'],
      childEnv({}, home),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('(baseten_gpu_memory_used) > 20725\n');
  });

  it('--engine.ttft-p99 reaches the engine time-to-first-token alert', async () => {
    const { code, stdout, stderr } = await runBridge(
      ['rules', '--alerts=models', '--engine.ttft-p99=1500ms'],
      childEnv({}, home),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(
      '# Generated by `baseten-bridge rules --alerts=models --engine.ttft-p99=1.5s > baseten-alerts.yml`.',
    );
    expect(stdout).toContain(') > 1.5\n');
  });
});
