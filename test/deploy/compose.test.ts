/**
 * docker-compose.yml as `docker-compose config` (Compose v1.29, Debian's) resolves it, and the files it wires
 * together: Prometheus's config and rules, Alertmanager's routing (amtool), Grafana's provisioning.
 * No Docker engine runs here: the files are checked, the stack is not started.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { requireBinary } from '../helpers/require-binary.js';
import { runShellSteps } from '../helpers/docs-shell.js';

const ROOT = resolve(__dirname, '../..');
const compose = requireBinary('docker-compose', 'docker-compose');
const amtool = requireBinary('amtool', 'prometheus-alertmanager');
const promtool = requireBinary('promtool', 'prometheus');

function run(bin: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(bin, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, COMPOSE_PROJECT_NAME: 'baseten' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const yamlFile = (path: string) => parse(readFileSync(resolve(ROOT, path), 'utf8')) as Record<string, unknown>;

interface ComposeService {
  ports?: unknown[];
  expose?: string[];
  volumes?: string[];
  secrets?: Array<{ source: string } | string>;
  image?: string;
  build?: { context: string };
  command?: string[];
}

describe.skipIf(!compose)('docker-compose.yml', () => {
  let cached: { services: Record<string, ComposeService>; secrets: Record<string, { file: string }> } | undefined;
  const resolved = () => {
    if (cached) return cached;
    const { code, stdout, stderr } = run(compose!, ['config']);
    expect(code, stderr).toBe(0);
    cached = parse(stdout) as { services: Record<string, ComposeService>; secrets: Record<string, { file: string }> };
    return cached;
  };

  it('passes `docker-compose config -q`', () => {
    const { code, stderr } = run(compose!, ['config', '-q']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('runs the bridge, Prometheus, Alertmanager and Grafana, and publishes only Grafana and the bridge', () => {
    const { services } = resolved();
    expect(Object.keys(services).sort()).toEqual(['alertmanager', 'baseten-bridge', 'grafana', 'prometheus']);
    const published = Object.entries(services)
      .filter(([, s]) => (s.ports ?? []).length > 0)
      .map(([name]) => name);
    expect(published.sort()).toEqual(['baseten-bridge', 'grafana']);
  });

  it('gives the bridge its key as a file secret and builds it from the Dockerfile', () => {
    const { services, secrets } = resolved();
    const bridge = services['baseten-bridge']!;
    expect(bridge.build?.context).toBe(ROOT);
    expect(bridge.secrets).toEqual([{ source: 'baseten_api_key' }]);
    expect(secrets.baseten_api_key?.file).toBe(resolve(ROOT, 'baseten_api_key'));
    const config = yamlFile('deploy/bridge.yml') as { upstream: { api_key_file: string } };
    expect(config.upstream.api_key_file).toBe('/run/secrets/baseten_api_key');
    expect(JSON.stringify(bridge)).not.toMatch(/BASETEN_API_KEY/);
  });

  it('mounts what Prometheus and Grafana are configured to read', () => {
    const { services } = resolved();
    const mounts = (name: string) => (services[name]!.volumes ?? []).map((v) => v.replace(`${ROOT}/`, './'));
    expect(mounts('prometheus')).toEqual(
      expect.arrayContaining([
        './deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
        './deploy/prometheus/rules:/etc/prometheus/rules:ro',
      ]),
    );
    expect(mounts('alertmanager')).toContain(
      './deploy/alertmanager/alertmanager.yml:/etc/alertmanager/alertmanager.yml:ro',
    );
    const provider = (
      yamlFile('grafana/provisioning/dashboards/baseten.yml') as { providers: Array<{ options: { path: string } }> }
    ).providers[0]!;
    expect(mounts('grafana')).toEqual(
      expect.arrayContaining([
        './grafana/provisioning:/etc/grafana/provisioning:ro',
        `./grafana/dashboards:${provider.options.path}:ro`,
      ]),
    );
  });

  it('connects the services by their compose names and ports', () => {
    const prom = yamlFile('deploy/prometheus/prometheus.yml') as {
      rule_files: string[];
      alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
      scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
    };
    expect(prom.rule_files).toEqual(['/etc/prometheus/rules/*.yml']);
    expect(prom.alerting.alertmanagers[0]!.static_configs[0]!.targets).toEqual(['alertmanager:9093']);
    expect(prom.scrape_configs).toMatchObject([
      { job_name: 'baseten', static_configs: [{ targets: ['baseten-bridge:19340'] }] },
    ]);
    const ds = (
      yamlFile('grafana/provisioning/datasources/prometheus.yml') as {
        datasources: Array<{ type: string; url: string }>;
      }
    ).datasources;
    expect(ds).toMatchObject([{ type: 'prometheus', url: 'http://prometheus:9090' }]);
    const { services } = resolved();
    expect(services['baseten-bridge']!.command).toContain('--web.listen-address=:19340');
    expect(services.prometheus!.expose).toEqual(['9090']);
    expect(services.alertmanager!.expose).toEqual(['9093']);
  });

  it('uses no key Compose v1.29 lacks or ignores', () => {
    const raw = yamlFile('docker-compose.yml') as { services: Record<string, Record<string, unknown>> } & Record<
      string,
      unknown
    >;
    expect(Object.keys(raw).sort()).toEqual(['secrets', 'services', 'volumes']);
    for (const [name, service] of Object.entries(raw.services)) {
      for (const key of ['develop', 'include', 'post_start', 'pre_stop'])
        expect(service, `${name}.${key}`).not.toHaveProperty(key);
      for (const s of (service.secrets as unknown[] | undefined) ?? [])
        expect(typeof s, `${name}.secrets: short syntax`).toBe('string');
    }
  });
});

describe('the key file steps of docker-compose.yml and docs/DASHBOARDS.md', () => {
  const text = (path: string) => readFileSync(resolve(ROOT, path), 'utf8');
  // The commands in the compose file's header comment, and the docs' block, up to `docker compose up`.
  const fromCompose = [...text('docker-compose.yml').matchAll(/^# {3}(\S.*)$/gm)]
    .map((m) => m[1]!.trim())
    .filter((line) => !line.startsWith('docker'));
  const docsBlock = /## Run the whole stack with Docker Compose\n\n```sh\n([\s\S]*?)```/.exec(
    text('docs/DASHBOARDS.md'),
  )![1]!;
  const fromDocs = docsBlock.split('\n').filter((line) => line !== '' && !line.startsWith('docker'));
  const imageUid = Number(/^USER (\d+):\d+$/m.exec(text('Dockerfile'))![1]);

  it('are the same two steps in both places, giving the key to the uid the image runs as', () => {
    expect(fromCompose).toEqual(fromDocs);
    expect(fromCompose).toEqual([
      `install -m 0400 /dev/stdin baseten_api_key <<< 'abcdefgh.your-metrics-only-key'`,
      `sudo chown ${imageUid} baseten_api_key`,
    ]);
  });

  // Giving a file to uid 1000 takes root (or being uid 1000); CI runs as root.
  it.runIf(process.getuid?.() === 0 || process.getuid?.() === imageUid)(
    "run as written: the key file is 0400 and the image user's",
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'compose-key-'));
      const r = runShellSteps(fromCompose.join('\n'), dir);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const key = statSync(join(dir, 'baseten_api_key'));
      expect(key.mode & 0o777).toBe(0o400);
      expect(key.uid).toBe(imageUid);
      expect(readFileSync(join(dir, 'baseten_api_key'), 'utf8')).toBe('abcdefgh.your-metrics-only-key\n');
    },
  );
});

describe.skipIf(!promtool)('deploy/prometheus/prometheus.yml', () => {
  it('passes promtool check config', () => {
    const { code, stdout, stderr } = run(promtool!, ['check', 'config', 'deploy/prometheus/prometheus.yml']);
    expect(`${stdout}${stderr}`).toContain('SUCCESS');
    expect(code).toBe(0);
  });
});

describe.skipIf(!amtool)('deploy/alertmanager/alertmanager.yml', () => {
  it('passes amtool check-config', () => {
    const { code, stdout, stderr } = run(amtool!, ['check-config', 'deploy/alertmanager/alertmanager.yml']);
    expect(stdout).toContain('SUCCESS');
    expect(code, stderr).toBe(0);
  });

  it.each([
    [['alertname=BasetenBridgeDown', 'severity=critical'], 'platform-pager'],
    [['alertname=BasetenBridgeUpstreamRateLimited', 'severity=warning'], 'platform-chat'],
    [['alertname=BasetenModelLatencyHigh', 'severity=critical', 'model_name=whisper\\large'], 'audio-pager'],
    [['alertname=BasetenModelLatencyHigh', 'severity=warning', 'team=audio', 'model_name=Orpheus'], 'audio-chat'],
    [['alertname=BasetenModelErrorRatioHigh', 'severity=critical', 'model_name=bge-m3 embeddings'], 'ml-pager'],
    [['alertname=BasetenSloBudgetBurnSlow', 'severity=warning', 'slo=availability'], 'ml-chat'],
  ])('routes %j to %s', (labels, receiver) => {
    const { code, stdout, stderr } = run(amtool!, [
      'config',
      'routes',
      'test',
      '--config.file=deploy/alertmanager/alertmanager.yml',
      ...labels,
    ]);
    expect(code, stderr).toBe(0);
    expect(stdout.trim()).toBe(receiver);
  });
});
